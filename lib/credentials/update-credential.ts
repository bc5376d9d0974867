import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields, REDACTED } from "../audit/record";
import { registryWrite } from "../gateway/registry-write";
import { currentKeyId, maskSecret, sealSecret } from "../crypto";
import { notFound } from "../errors";
import type { UpdateCredentialInput } from "../schemas/credentials";
import { requireCredentialAccess } from "./access";
import { assertNameFree, sealContext } from "./create-credential";
import { credentialSelect, toCredentialDto } from "./credential-dto";

/** Renames, describes or replaces the value of a credential inside `tx`. The old value is never read. */
export async function updateCredentialIn(
  tx: Tx,
  opts: { actor: Actor; workspaceId: string | null; credentialId: string; input: UpdateCredentialInput; requestId?: string },
) {
  const { actor, workspaceId, credentialId, input } = opts;
  const before = await tx.credential.findFirst({ where: { id: credentialId, workspaceId }, select: credentialSelect });
  if (!before) throw notFound("Credential");
  if (input.name && input.name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(tx, workspaceId, input.name, before.id);
  const data: Record<string, unknown> = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.description !== undefined) data.description = input.description;
  if (input.value !== undefined) {
    data.ciphertext = sealSecret(input.value, sealContext(before.id, workspaceId));
    data.keyId = currentKeyId();
    data.mask = maskSecret(input.value);
  }
  return registryWrite(tx, async (tx) => {
    const after = await tx.credential.update({ where: { id: before.id }, data, select: credentialSelect });
    const changes = diffFields(before, after, { fields: ["name", "description"] });
    if (input.value !== undefined) changes.value = { from: REDACTED, to: REDACTED };
    const audit = {
      actor,
      action: input.value !== undefined ? "credential.replace" : "credential.update",
      targetType: "credential",
      targetId: after.id,
      targetLabel: after.name,
      workspaceId,
      changes,
      requestId: opts.requestId,
    };
    return {
      result: after,
      audit: Object.keys(changes).length ? audit : null,
      // Instance credentials back platform keys: the gateway's snapshot holds their sealed value.
      snapshot: input.value !== undefined && workspaceId === null,
    };
  });
}

export async function updateCredential(opts: {
  actor: Actor;
  workspaceId: string | null;
  credentialId: string;
  input: UpdateCredentialInput;
  requestId?: string;
}) {
  await requireCredentialAccess(opts.actor, opts.workspaceId);
  return toCredentialDto(await db.$transaction((tx) => updateCredentialIn(tx, opts)));
}
