import { db } from "../db/client";
import { requireInstancePermission, requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";

/** Deletes a workspace and its memberships and invitations. Instance admins only. */
export async function deleteWorkspace(opts: { actor: Actor; workspaceId: string; requestId?: string }) {
  const { actor, workspaceId } = opts;
  await requireWorkspacePermission(actor, workspaceId, "workspace.delete");
  requireInstancePermission(actor, "workspaces.create");
  await db.$transaction(async (tx) => {
    const ws = await tx.workspace.findUnique({ where: { id: workspaceId } });
    if (!ws) throw notFound("Workspace");
    // registry-neutral: its keys, budget and body setting reach the snapshot through its API keys, which stay.
    await tx.workspace.delete({ where: { id: workspaceId } });
    await recordAudit(tx, {
      actor,
      action: "workspace.delete",
      targetType: "workspace",
      targetId: ws.id,
      targetLabel: ws.name,
      workspaceId: null,
      changes: { name: { from: ws.name, to: null } },
      requestId: opts.requestId,
    });
  });
}
