import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { Permission } from "../auth/permissions";
import { isAppError, notFound } from "../errors";

/**
 * The workspace of a provider addressed by id, after checking the actor's permission there. A provider of another
 * workspace (or of one the actor cannot see) is "not found", so ids reveal nothing. Every later query still
 * names the workspace in its `where`.
 */
export async function requireProviderAccess(actor: Actor, providerId: string, permission: Permission): Promise<string> {
  const row = await db.provider.findFirst({ where: { id: providerId }, select: { workspaceId: true } });
  if (!row) throw notFound("Provider");
  try {
    await requireWorkspacePermission(actor, row.workspaceId, permission);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") throw notFound("Provider");
    throw e;
  }
  return row.workspaceId;
}
