import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import { registryWrite } from "../gateway/registry-write";
import { requireKeyAccess } from "./access";
import { keySelect, toVirtualKeyDto, type KeyRow } from "./key-dto";

/** Revokes a key inside `tx`; revoking a revoked key changes nothing. */
export async function revokeVirtualKeyIn(tx: Tx, opts: { actor: Actor; key: KeyRow; requestId?: string }) {
  const { key } = opts;
  if (key.revokedAt) return toVirtualKeyDto(key);
  return registryWrite(tx, async (tx) => {
    const after = await tx.virtualKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: keySelect });
    const audit = {
      actor: opts.actor,
      action: "key.revoke",
      targetType: "virtual_key",
      targetId: key.id,
      targetLabel: key.name,
      workspaceId: key.workspaceId,
      changes: { revokedAt: { from: null, to: after.revokedAt!.toISOString() } },
      requestId: opts.requestId,
    };
    return { result: toVirtualKeyDto(after), audit };
  });
}

export async function revokeVirtualKey(opts: { actor: Actor; keyId: string; workspaceId?: string; requestId?: string }) {
  const workspaceId = await requireKeyAccess(opts.actor, opts.keyId, "gatewayKeys.manage", opts.workspaceId);
  return db.$transaction(async (tx) => {
    // The workspace is part of the write's condition, not only of the check before it.
    const key = await tx.virtualKey.findFirst({ where: { id: opts.keyId, workspaceId }, select: keySelect });
    if (!key) throw notFound("API key");
    return revokeVirtualKeyIn(tx, { actor: opts.actor, key, requestId: opts.requestId });
  });
}
