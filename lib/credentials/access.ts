import { requireInstancePermission, requireWorkspacePermission, type Actor } from "../auth/actor";

/** Workspace credentials: that workspace's Admins. Instance-level ones (platform keys): instance admins. */
export async function requireCredentialAccess(actor: Actor, workspaceId: string | null): Promise<void> {
  if (workspaceId === null) requireInstancePermission(actor, "tokens.manage");
  else await requireWorkspacePermission(actor, workspaceId, "credentials.manage");
}
