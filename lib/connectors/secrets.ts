import crypto from "node:crypto";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { openSecret } from "../crypto";
import { createCredentialIn, sealContext } from "../credentials/create-credential";
import { updateCredentialIn } from "../credentials/update-credential";
import { attachCredentialUsage, releaseCredential } from "../credentials/use-credential";

// A connector's secrets are workspace credentials named `connector:<name>:<field>`, used by ("connector", id),
// so the credentials page shows who uses them and refuses to delete them meanwhile.

export const CONNECTOR_OWNER = "connector";
const MAX_NAME = 80;

export function secretCredentialName(connectorName: string, field: string): string {
  const clean = connectorName
    .replace(/[^\p{L}\p{N} ._:/-]+/gu, "-")
    .replace(/\s+/g, " ")
    .trim();
  return `connector:${clean}:${field}`.slice(0, MAX_NAME - 4).trim();
}

const byName = (tx: Tx, workspaceId: string, name: string) =>
  tx.credential.findFirst({
    where: { workspaceId, name: { equals: name, mode: "insensitive" } },
    select: { id: true, _count: { select: { usages: true } } },
  });

/** Whether a workspace credential holds `value` (compared by digest in constant time); unreadable counts as different. */
export async function secretEquals(tx: Tx, workspaceId: string, credentialId: string, value: string): Promise<boolean> {
  const row = await tx.credential.findFirst({ where: { id: credentialId, workspaceId }, select: { id: true, ciphertext: true } });
  if (!row) return false;
  let stored: string;
  try {
    stored = openSecret(row.ciphertext, sealContext(row.id, workspaceId));
  } catch {
    return false;
  }
  const digest = (s: string) => crypto.createHash("sha256").update(s).digest();
  return crypto.timingSafeEqual(digest(stored), digest(value));
}

interface SecretContext {
  actor: Actor;
  workspaceId: string;
  connector: { id: string; name: string };
  source: string;
  requestId?: string;
  /** Configuration files: take over an unused credential that already has the secret's name (an export lists it twice). */
  adopt?: boolean;
}

/**
 * Stores one secret of a connector: replaces the value of its credential when it has one (a rotation), else
 * creates a credential (or adopts one, see `adopt`) and records the connector's use of it.
 */
export async function storeSecret(tx: Tx, ctx: SecretContext, field: string, value: string, existingId?: string): Promise<string> {
  const { actor, workspaceId, connector } = ctx;
  if (existingId) {
    if (!(await secretEquals(tx, workspaceId, existingId, value))) {
      await updateCredentialIn(tx, { actor, workspaceId, credentialId: existingId, input: { value }, requestId: ctx.requestId });
    }
    return existingId;
  }
  const base = secretCredentialName(connector.name, field);
  let credentialId: string | null = null;
  if (ctx.adopt) {
    const found = await byName(tx, workspaceId, base);
    if (found && found._count.usages === 0) {
      credentialId = found.id;
      if (!(await secretEquals(tx, workspaceId, found.id, value)))
        await updateCredentialIn(tx, { actor, workspaceId, credentialId: found.id, input: { value }, requestId: ctx.requestId });
    }
  }
  if (!credentialId) {
    let name = base;
    for (let i = 2; await byName(tx, workspaceId, name); i++) name = `${base}-${i}`;
    const cred = await createCredentialIn(tx, {
      actor,
      workspaceId,
      input: { name, kind: "connector-secret", value, description: `The ${field} of connector ${connector.name}` },
      source: ctx.source,
      requestId: ctx.requestId,
    });
    credentialId = cred.id;
  }
  await attachCredentialUsage(tx, { credentialId, ownerType: CONNECTOR_OWNER, ownerId: connector.id, label: connector.name });
  return credentialId;
}

/** Stops a connector using a credential and deletes it when nothing else does (with its own audit entry). */
export async function dropSecret(tx: Tx, ctx: Omit<SecretContext, "source" | "adopt">, credentialId: string): Promise<void> {
  await releaseCredential(tx, { credentialId, ownerType: CONNECTOR_OWNER, ownerId: ctx.connector.id, ...ctx });
}

/** Renames a connector's credentials after the connector, where the new name is free. */
export async function renameSecrets(
  tx: Tx,
  ctx: Omit<SecretContext, "source" | "adopt">,
  secretIds: Record<string, string>,
): Promise<void> {
  for (const [field, id] of Object.entries(secretIds)) {
    const name = secretCredentialName(ctx.connector.name, field);
    const clash = await byName(tx, ctx.workspaceId, name);
    if (clash) continue;
    await updateCredentialIn(tx, {
      actor: ctx.actor,
      workspaceId: ctx.workspaceId,
      credentialId: id,
      input: { name },
      requestId: ctx.requestId,
    });
    await attachCredentialUsage(tx, { credentialId: id, ownerType: CONNECTOR_OWNER, ownerId: ctx.connector.id, label: ctx.connector.name });
  }
}
