import crypto from "node:crypto";
import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { recordAudit, REDACTED } from "../audit/record";
import { currentKeyId, maskSecret, sealSecret } from "../crypto";
import { conflict } from "../errors";
import type { CreateCredentialInput } from "../schemas/credentials";
import { requireCredentialAccess } from "./access";
import { credentialSelect, toCredentialDto } from "./credential-dto";

export const CREDENTIAL_TABLE = "Credential";
export const CREDENTIAL_PURPOSE = "credential";

export const sealContext = (id: string, workspaceId: string | null) => ({
  purpose: CREDENTIAL_PURPOSE,
  workspaceId,
  table: CREDENTIAL_TABLE,
  field: "ciphertext",
  rowId: id,
});

export async function assertNameFree(tx: Tx, workspaceId: string | null, name: string, exceptId?: string) {
  const clash = await tx.credential.findFirst({
    where: { workspaceId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict("A credential with this name already exists", "name");
}

/** Seals and stores a secret inside `tx`. Other features call this to keep their secrets in the store. */
export async function createCredentialIn(
  tx: Tx,
  opts: { actor: Actor; workspaceId: string | null; input: CreateCredentialInput; source?: string; requestId?: string },
) {
  const { actor, workspaceId, input } = opts;
  await assertNameFree(tx, workspaceId, input.name);
  // The id is chosen before the insert because the ciphertext is bound to it.
  const id = `cred_${crypto.randomBytes(12).toString("base64url")}`;
  // registry-neutral: nothing uses a new credential yet (a platform key that takes it is a registry write).
  const row = await tx.credential.create({
    data: {
      id,
      workspaceId,
      name: input.name,
      kind: input.kind,
      description: input.description ?? "",
      ciphertext: sealSecret(input.value, sealContext(id, workspaceId)),
      keyId: currentKeyId(),
      mask: maskSecret(input.value),
      source: opts.source ?? "console",
      createdById: actor.type === "user" ? actor.id : null,
    },
    select: credentialSelect,
  });
  await recordAudit(tx, {
    actor,
    action: "credential.create",
    targetType: "credential",
    targetId: row.id,
    targetLabel: row.name,
    workspaceId,
    changes: { name: { from: null, to: row.name }, kind: { from: null, to: row.kind }, value: { from: null, to: REDACTED } },
    requestId: opts.requestId,
  });
  return row;
}

export async function createCredential(opts: {
  actor: Actor;
  workspaceId: string | null;
  input: CreateCredentialInput;
  requestId?: string;
}) {
  await requireCredentialAccess(opts.actor, opts.workspaceId);
  const row = await db.$transaction((tx) => createCredentialIn(tx, opts));
  return toCredentialDto(row);
}
