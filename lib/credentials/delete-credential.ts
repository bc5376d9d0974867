import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors";
import { requireCredentialAccess } from "./access";

/** Deletes a credential; refused while anything uses it, naming what does. */
export async function deleteCredential(opts: { actor: Actor; workspaceId: string | null; credentialId: string; requestId?: string }) {
  const { actor, workspaceId, credentialId } = opts;
  await requireCredentialAccess(actor, workspaceId);
  await db.$transaction(async (tx) => {
    const c = await tx.credential.findFirst({ where: { id: credentialId, workspaceId }, include: { usages: true } });
    if (!c) throw notFound("Credential");
    if (c.usages.length) {
      const users = c.usages.map((u) => `${u.ownerType} "${u.label}"`);
      throw new AppError("conflict", `This credential is in use by ${users.join(", ")}; remove it there first`, {
        fields: c.usages.map((u) => ({ path: `usedBy.${u.ownerType}`, message: u.label })),
      });
    }
    // registry-neutral: refused above while anything, a platform key included, uses it.
    await tx.credential.delete({ where: { id: c.id } });
    await recordAudit(tx, {
      actor,
      action: "credential.delete",
      targetType: "credential",
      targetId: c.id,
      targetLabel: c.name,
      workspaceId,
      changes: { name: { from: c.name, to: null } },
      requestId: opts.requestId,
    });
  });
}
