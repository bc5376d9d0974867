import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { AppError, conflict, notFound } from "../errors";
import { registryWrite } from "../gateway/registry-write";
import { toDecimal } from "../models/money";
import type { UpdateVirtualKeyInput } from "../schemas/virtual-keys";
import { queueBudgetCheck } from "../budgets/watch";
import { requireKeyAccess } from "./access";
import { resolveAllowedModels } from "./allowed-models";
import { assertKeyNameFree } from "./create-key";
import { KEY_FIELDS, keySelect, keySettings, toVirtualKeyDto, type KeyRow } from "./key-dto";

/** Applies the fields present in `input` to a key inside `tx`; records only what changed. */
export async function updateVirtualKeyIn(
  tx: Tx,
  opts: { actor: Actor; key: KeyRow; input: UpdateVirtualKeyInput; requestId?: string; path?: string },
) {
  const { actor, key, input } = opts;
  const at = (f: string) => (opts.path ? `${opts.path}.${f}` : f);
  if (key.revokedAt) throw conflict("This key is revoked and can no longer be changed");
  const data: Record<string, unknown> = {};
  if (input.name !== undefined && input.name !== key.name) {
    await assertKeyNameFree(tx, key.workspaceId, input.name, { exceptId: key.id, path: at("name") });
    data.name = input.name;
  }
  if (input.owner !== undefined) data.owner = input.owner;
  if (input.allowedModels !== undefined) {
    const models = await resolveAllowedModels(tx, input.allowedModels, at(opts.path ? "models" : "allowedModels"));
    if (models.problems.length) throw new AppError("validation_failed", "Some allowed models do not exist", { fields: models.problems });
    data.allowedModels = models.names;
  }
  if (input.rpm !== undefined) data.rpm = input.rpm;
  if (input.tpm !== undefined) data.tpm = input.tpm;
  if (input.monthlyBudgetUsd !== undefined)
    data.monthlyBudgetUsd = input.monthlyBudgetUsd === null ? null : toDecimal(input.monthlyBudgetUsd);
  if (input.budgetAction !== undefined) data.budgetAction = input.budgetAction;
  if (input.expiresAt !== undefined) data.expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt);
  const before = keySettings(key);
  const preview = keySettings({ ...key, ...(data as Partial<KeyRow>) });
  const changes = diffFields(before, preview, { fields: [...KEY_FIELDS] });
  if (!Object.keys(changes).length) return toVirtualKeyDto(key);
  return registryWrite(tx, async (tx) => {
    const after = await tx.virtualKey.update({ where: { id: key.id }, data, select: keySelect });
    const audit = {
      actor,
      action: "key.update",
      targetType: "virtual_key",
      targetId: key.id,
      targetLabel: after.name,
      workspaceId: key.workspaceId,
      changes,
      requestId: opts.requestId,
    };
    return { result: toVirtualKeyDto(after), audit };
  });
}

export async function updateVirtualKey(opts: {
  actor: Actor;
  keyId: string;
  workspaceId?: string;
  input: UpdateVirtualKeyInput;
  requestId?: string;
}) {
  const workspaceId = await requireKeyAccess(opts.actor, opts.keyId, "gatewayKeys.manage", opts.workspaceId);
  const dto = await db.$transaction(async (tx) => {
    const key = await tx.virtualKey.findFirst({ where: { id: opts.keyId, workspaceId }, select: keySelect });
    if (!key) throw notFound("API key");
    return updateVirtualKeyIn(tx, { actor: opts.actor, key, input: opts.input, requestId: opts.requestId });
  });
  // A key budget lowered below what the key already spent this month alerts now, not at the key's next call.
  if (opts.input.monthlyBudgetUsd !== undefined || opts.input.budgetAction !== undefined) queueBudgetCheck([workspaceId]);
  return dto;
}
