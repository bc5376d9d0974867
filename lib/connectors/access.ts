import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { Permission } from "../auth/permissions";
import { isAppError, notFound } from "../errors";

/**
 * The workspace of a connector addressed by id, after checking the actor's permission there. A connector of
 * another workspace (or of one the actor cannot see) is "not found", so ids reveal nothing. Every later query
 * still names the workspace in its `where`.
 */
export async function requireConnectorAccess(actor: Actor, connectorId: string, permission: Permission): Promise<string> {
  const row = await db.connector.findFirst({ where: { id: connectorId }, select: { workspaceId: true } });
  if (!row) throw notFound("Connector");
  try {
    await requireWorkspacePermission(actor, row.workspaceId, permission);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") throw notFound("Connector");
    throw e;
  }
  return row.workspaceId;
}
