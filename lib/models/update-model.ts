import { db } from "../db/client";
import type { Prisma, Tx } from "../db/types";
import { isUniqueViolation } from "../db/errors";
import type { Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { AppError, conflict, notFound } from "../errors";
import { tokenLimitProblems, type ModelStatus, type UpdateModelInput } from "../schemas/models";
import { requireModelsManage } from "./access";
import { assertModelNameFree } from "./create-model";
import { loadModelDetail } from "./get-model";
import type { ModelDetailDto } from "./model-dto";
import { renameAllowedModel } from "../virtual-keys/rename-allowed-model";
import { registryWrite } from "../gateway/registry-write";

const FIELDS = [
  "name",
  "provider",
  "status",
  "description",
  "features",
  "modalities",
  "contextWindow",
  "maxOutputTokens",
  "defaultContext",
  "defaultMaxOutput",
] as const;

/** Updates the given fields inside `tx`; returns the names of the fields that changed (none: nothing written). */
export async function updateModelIn(
  tx: Tx,
  opts: { actor: Actor; modelId: string; input: UpdateModelInput; requestId?: string },
): Promise<string[]> {
  const { actor, input } = opts;
  const before = await tx.model.findUnique({ where: { id: opts.modelId } });
  if (!before) throw notFound("Model");
  if (input.name && input.name !== before.name) await assertModelNameFree(tx, input.name, before.id);
  const data: Prisma.ModelUpdateInput = {};
  for (const f of FIELDS) if (input[f] !== undefined) (data as Record<string, unknown>)[f] = input[f];
  // The limits are checked on the merged values: a new context window must still hold the stored defaults.
  const merged = { ...before, ...data } as typeof before;
  const problems = tokenLimitProblems(merged);
  if (problems.length) throw new AppError("validation_failed", "The token limits are inconsistent", { fields: problems });
  const changes = diffFields(before, merged, { fields: [...FIELDS] });
  if (!Object.keys(changes).length) return [];
  return registryWrite(tx, async (tx) => {
    await tx.model.update({ where: { id: before.id }, data });
    if (changes.name) await renameAllowedModel(tx, before.name, merged.name);
    const onlyStatus = Object.keys(changes).length === 1 && changes.status;
    const audit = {
      actor,
      action: onlyStatus ? (merged.status === "active" ? "model.enable" : "model.disable") : "model.update",
      targetType: "model",
      targetId: before.id,
      targetLabel: merged.name,
      changes,
      requestId: opts.requestId,
    };
    return { result: Object.keys(changes), audit };
  });
}

export async function updateModel(opts: {
  actor: Actor;
  modelId: string;
  input: UpdateModelInput;
  requestId?: string;
}): Promise<ModelDetailDto> {
  requireModelsManage(opts.actor);
  try {
    return await db.$transaction(async (tx) => {
      await updateModelIn(tx, opts);
      return loadModelDetail(tx, opts.modelId);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A model with this name already exists", "name");
    throw e;
  }
}

/** Enables or disables a model; an inactive model is not offered by the gateway. */
export function setModelStatus(opts: { actor: Actor; modelId: string; status: ModelStatus; requestId?: string }) {
  return updateModel({ actor: opts.actor, modelId: opts.modelId, input: { status: opts.status }, requestId: opts.requestId });
}
