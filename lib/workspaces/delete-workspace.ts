import { db } from "../db/client";
import { requireInstancePermission, requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import { registryWrite } from "../gateway/registry-write";
import { newDate } from "../runtime/clock";

/**
 * Deletes a workspace and its memberships and invitations. Instance admins only. Its API keys are revoked in the
 * same write (keys have no foreign key to the workspace and their rows stay for the usage history): otherwise a
 * deleted workspace's keys kept calling the gateway.
 */
export async function deleteWorkspace(opts: { actor: Actor; workspaceId: string; requestId?: string }) {
  const { actor, workspaceId } = opts;
  await requireWorkspacePermission(actor, workspaceId, "workspace.delete");
  requireInstancePermission(actor, "workspaces.create");
  await registryWrite(db, async (tx) => {
    const ws = await tx.workspace.findUnique({ where: { id: workspaceId } });
    if (!ws) throw notFound("Workspace");
    await tx.virtualKey.updateMany({ where: { workspaceId, revokedAt: null }, data: { revokedAt: newDate() } });
    await tx.workspace.delete({ where: { id: workspaceId } });
    return {
      result: undefined,
      audit: {
        actor,
        action: "workspace.delete",
        targetType: "workspace",
        targetId: ws.id,
        targetLabel: ws.name,
        workspaceId: null,
        changes: { name: { from: ws.name, to: null } },
        requestId: opts.requestId,
      },
    };
  });
}
