import { db } from "../db/client";
import { isInstanceAdmin, requireWorkspacePermission, type Actor } from "../auth/actor";
import type { Permission } from "../auth/permissions";
import type { RoleName } from "../schemas/workspaces";
import { isAppError, notFound } from "../errors";

export interface McpScope {
  workspaceId: string;
  role: RoleName;
}

/** The workspace of a server addressed by id, after checking the actor's permission there; another workspace's is "not found". */
export async function requireMcpServerAccess(actor: Actor, serverId: string, permission: Permission): Promise<McpScope> {
  const row = await db.mcpServer.findFirst({ where: { id: serverId }, select: { workspaceId: true } });
  if (!row) throw notFound("MCP server");
  try {
    return { workspaceId: row.workspaceId, role: await requireWorkspacePermission(actor, row.workspaceId, permission) };
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") throw notFound("MCP server");
    throw e;
  }
}

/** Only Admins may let a server reach private addresses. */
export const mayMarkInternal = (actor: Actor, role: RoleName) => role === "ADMIN" || isInstanceAdmin(actor);
