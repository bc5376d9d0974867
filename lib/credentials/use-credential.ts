import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { openSecret } from "../crypto";
import { notFound } from "../errors";
import { sealContext } from "./create-credential";

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Hands the plaintext of a credential to `fn` for the duration of one call. The workspace is part of the
 * lookup, so a credential id from another workspace is simply not found. A value that fails to decrypt
 * (tampered, moved, unknown key) throws; nothing falls back to the stored text.
 */
export async function withSecret<T>(
  opts: { credentialId: string; workspaceId: string | null },
  fn: (plaintext: string) => Promise<T> | T,
): Promise<T> {
  const row = await db.credential.findFirst({
    where: { id: opts.credentialId, workspaceId: opts.workspaceId },
    select: { id: true, workspaceId: true, ciphertext: true, lastUsedAt: true },
  });
  if (!row) throw notFound("Credential");
  const plaintext = openSecret(row.ciphertext, sealContext(row.id, row.workspaceId));
  const result = await fn(plaintext);
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // registry-neutral: lastUsedAt is not in the snapshot.
    await db.credential.update({ where: { id: row.id }, data: { lastUsedAt: new Date() }, select: { id: true } });
  }
  return result;
}

/** Records that an object uses a credential (so deleting the credential is refused while it does). */
export async function attachCredentialUsage(tx: Tx, u: { credentialId: string; ownerType: string; ownerId: string; label: string }) {
  await tx.credentialUsage.upsert({
    where: { credentialId_ownerType_ownerId: { credentialId: u.credentialId, ownerType: u.ownerType, ownerId: u.ownerId } },
    create: u,
    update: { label: u.label },
  });
}

export async function detachCredentialUsage(tx: Tx, u: { credentialId: string; ownerType: string; ownerId: string }) {
  await tx.credentialUsage.deleteMany({ where: u });
}

/**
 * Stops an object using a credential it owned (a connector's secret, an MCP server's header) and deletes the
 * credential, with its own audit entry, when nothing else uses it any more.
 */
export async function releaseCredential(
  tx: Tx,
  u: { credentialId: string; ownerType: string; ownerId: string; workspaceId: string; actor: Actor; requestId?: string },
): Promise<void> {
  await detachCredentialUsage(tx, { credentialId: u.credentialId, ownerType: u.ownerType, ownerId: u.ownerId });
  const cred = await tx.credential.findFirst({
    where: { id: u.credentialId, workspaceId: u.workspaceId },
    select: { id: true, name: true, _count: { select: { usages: true } } },
  });
  if (!cred || cred._count.usages > 0) return;
  // registry-neutral: a workspace credential is not in the routing snapshot (only instance ones back platform keys).
  await tx.credential.delete({ where: { id: cred.id } });
  await recordAudit(tx, {
    actor: u.actor,
    action: "credential.delete",
    targetType: "credential",
    targetId: cred.id,
    targetLabel: cred.name,
    workspaceId: u.workspaceId,
    changes: { name: { from: cred.name, to: null } },
    requestId: u.requestId,
  });
}
