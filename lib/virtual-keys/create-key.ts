import { db } from "../db/client";
import type { Tx } from "../db/types";
import { actorId, requireWorkspacePermission, type Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { AppError, conflict } from "../errors";
import { registryWrite } from "../gateway/registry-write";
import { toDecimal } from "../models/money";
import type { CreateVirtualKeyInput } from "../schemas/virtual-keys";
import { resolveAllowedModels } from "./allowed-models";
import { generateKeyValue, hashKey, KEY_FIELDS, keyPrefix, keySelect, keySettings, toVirtualKeyDto } from "./key-dto";

/** Names are unique per workspace among keys that are not revoked (a revoked key's name can be reused). */
export async function assertKeyNameFree(tx: Tx, workspaceId: string, name: string, opts: { exceptId?: string; path?: string } = {}) {
  const clash = await tx.virtualKey.findFirst({
    where: {
      workspaceId,
      revokedAt: null,
      name: { equals: name, mode: "insensitive" },
      ...(opts.exceptId ? { NOT: { id: opts.exceptId } } : {}),
    },
    select: { id: true },
  });
  if (clash) throw conflict("A key with this name already exists in this workspace", opts.path ?? "name");
}

/** A value that hashes like an existing key would hit the unique index as an opaque error; refuse it by path. */
export async function assertValueFree(tx: Tx, keyHash: string, path: string) {
  if (await tx.virtualKey.findUnique({ where: { keyHash }, select: { id: true } })) {
    throw conflict("This key value is already used by another key; choose a new value", path);
  }
}

/** Creates a key inside `tx` (console, admin API and configuration file). `value` is given only by config. */
export async function createVirtualKeyIn(
  tx: Tx,
  opts: {
    actor: Actor;
    workspaceId: string;
    input: CreateVirtualKeyInput;
    value?: string;
    source?: string;
    requestId?: string;
    path?: string;
  },
) {
  const { actor, workspaceId, input } = opts;
  const at = (f: string) => (opts.path ? `${opts.path}.${f}` : f);
  await assertKeyNameFree(tx, workspaceId, input.name, { path: at("name") });
  const models = await resolveAllowedModels(tx, input.allowedModels, at(opts.path ? "models" : "allowedModels"));
  if (models.problems.length) throw new AppError("validation_failed", "Some allowed models do not exist", { fields: models.problems });
  const value = opts.value ?? generateKeyValue();
  const keyHash = hashKey(value);
  await assertValueFree(tx, keyHash, at("value"));
  const row = await registryWrite(tx, async (tx) => {
    const row = await tx.virtualKey.create({
      data: {
        workspaceId,
        name: input.name,
        prefix: keyPrefix(value),
        keyHash,
        owner: input.owner,
        allowedModels: models.names,
        rpm: input.rpm ?? null,
        tpm: input.tpm ?? null,
        monthlyBudgetUsd: input.monthlyBudgetUsd == null ? null : toDecimal(input.monthlyBudgetUsd),
        budgetAction: input.budgetAction ?? "block",
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        source: opts.source ?? "console",
        createdById: actor.type === "user" ? actorId(actor) : null,
      },
      select: keySelect,
    });
    const audit = {
      actor,
      action: "key.create",
      targetType: "virtual_key",
      targetId: row.id,
      targetLabel: row.name,
      workspaceId,
      changes: { ...diffFields(null, keySettings(row), { fields: [...KEY_FIELDS] }), prefix: { from: null, to: row.prefix } },
      requestId: opts.requestId,
    };
    return { result: row, audit };
  });
  return { value, key: toVirtualKeyDto(row) };
}

/** Creates a key for a workspace's programs. The value is returned once; only its SHA-256 and prefix are stored. */
export async function createVirtualKey(opts: { actor: Actor; workspaceId: string; input: CreateVirtualKeyInput; requestId?: string }) {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "gatewayKeys.manage");
  return db.$transaction((tx) =>
    createVirtualKeyIn(tx, { actor: opts.actor, workspaceId: opts.workspaceId, input: opts.input, requestId: opts.requestId }),
  );
}
