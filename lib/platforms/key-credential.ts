import crypto from "node:crypto";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { createCredentialIn, sealContext } from "../credentials/create-credential";
import { updateCredentialIn } from "../credentials/update-credential";
import { openSecret } from "../crypto";
import { attachCredentialUsage, detachCredentialUsage } from "../credentials/use-credential";
import { registryWrite } from "../gateway/registry-write";

// A platform key's secret is an instance-level credential named after the platform and the key, used by
// ("platform-key", key id) so the credentials page shows who uses it and refuses to delete it meanwhile.

export const KEY_OWNER = "platform-key";

const MAX_NAME = 80;

/** `platform:<name>:<description>` made to fit the credential name rules. */
export function keyCredentialBaseName(platformName: string, description: string, position: number): string {
  const clean = (s: string) =>
    s
      .replace(/[^\p{L}\p{N} ._:/-]+/gu, "-")
      .replace(/\s+/g, " ")
      .trim();
  const raw = `platform:${clean(platformName)}:${clean(description) || `key-${position + 1}`}`;
  return raw.slice(0, MAX_NAME - 4).trim();
}

export const keyUsageLabel = (platformName: string, description: string) =>
  description ? `${platformName} (${description})` : platformName;

async function nameTaken(tx: Tx, name: string) {
  return tx.credential.findFirst({
    where: { workspaceId: null, name: { equals: name, mode: "insensitive" } },
    select: { id: true, _count: { select: { usages: true } } },
  });
}

/**
 * Stores a key's value as a new instance-level credential. With `adopt` (configuration files) an unused
 * credential that already has the key's name is taken over instead: an exported file lists the same secret
 * under `credentials` and under the platform, and applying it must not fail or store it twice.
 */
export async function storeKeyCredential(
  tx: Tx,
  opts: {
    actor: Actor;
    platformName: string;
    description: string;
    position: number;
    value: string;
    source: string;
    requestId?: string;
    adopt?: boolean;
  },
): Promise<{ credentialId: string; adopted: boolean }> {
  const base = keyCredentialBaseName(opts.platformName, opts.description, opts.position);
  if (opts.adopt) {
    const existing = await nameTaken(tx, base);
    if (existing && existing._count.usages === 0) {
      if (!(await storedValueEquals(tx, existing.id, opts.value))) {
        await updateCredentialIn(tx, {
          actor: opts.actor,
          workspaceId: null,
          credentialId: existing.id,
          input: { value: opts.value },
          requestId: opts.requestId,
        });
      }
      return { credentialId: existing.id, adopted: true };
    }
  }
  let name = base;
  for (let i = 2; await nameTaken(tx, name); i++) name = `${base}-${i}`;
  const cred = await createCredentialIn(tx, {
    actor: opts.actor,
    workspaceId: null,
    input: { name, kind: "api-key", value: opts.value, description: `API key of platform ${opts.platformName}` },
    source: opts.source,
    requestId: opts.requestId,
  });
  return { credentialId: cred.id, adopted: false };
}

export async function attachKeyUsage(tx: Tx, key: { id: string; credentialId: string }, label: string) {
  await attachCredentialUsage(tx, { credentialId: key.credentialId, ownerType: KEY_OWNER, ownerId: key.id, label });
}

/** Destroys a removed key's credential (nothing else may use it), with its own audit entry. */
export async function destroyKeyCredential(tx: Tx, opts: { actor: Actor; key: { id: string; credentialId: string }; requestId?: string }) {
  await detachCredentialUsage(tx, { credentialId: opts.key.credentialId, ownerType: KEY_OWNER, ownerId: opts.key.id });
  const cred = await tx.credential.findFirst({
    where: { id: opts.key.credentialId, workspaceId: null },
    select: { id: true, name: true, _count: { select: { usages: true } } },
  });
  if (!cred || cred._count.usages > 0) return;
  await registryWrite(tx, async (tx) => {
    await tx.credential.delete({ where: { id: cred.id } });
    const audit = {
      actor: opts.actor,
      action: "credential.delete",
      targetType: "credential",
      targetId: cred.id,
      targetLabel: cred.name,
      changes: { name: { from: cred.name, to: null } },
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
}

/**
 * Whether an instance-level credential holds `value` (decrypted inside `tx`, compared by digest in constant
 * time). An unreadable stored value counts as different, so a configuration file replaces it.
 */
export async function storedValueEquals(tx: Tx, credentialId: string, value: string): Promise<boolean> {
  const row = await tx.credential.findFirst({ where: { id: credentialId, workspaceId: null }, select: { id: true, ciphertext: true } });
  if (!row) return false;
  let stored: string;
  try {
    stored = openSecret(row.ciphertext, sealContext(row.id, null));
  } catch {
    return false;
  }
  const digest = (s: string) => crypto.createHash("sha256").update(s).digest();
  return crypto.timingSafeEqual(digest(stored), digest(value));
}
