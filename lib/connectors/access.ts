import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { isInstanceAdmin, requireWorkspacePermission, type Actor } from "../auth/actor";
import type { Permission } from "../auth/permissions";
import type { RoleName } from "../schemas/workspaces";
import { isAppError, notFound } from "../errors";

/**
 * Which of a workspace's connectors the actor may see: Admins all of them, Builders the public ones and their
 * own (a private connector carries one person's or one environment's credentials). The same condition goes
 * into every read and write's `where`, so a connector someone may not see is "not found".
 */
export function visibleConnectors(actor: Actor, role: RoleName): Prisma.ConnectorWhereInput {
  if (role === "ADMIN" || isInstanceAdmin(actor)) return {};
  return { OR: [{ public: true }, ...(actor.type === "user" ? [{ createdById: actor.id }] : [])] };
}

export interface ConnectorScope {
  workspaceId: string;
  role: RoleName;
  where: Prisma.ConnectorWhereInput;
}

/**
 * The workspace of a connector addressed by id, after checking the actor's permission there. A connector of
 * another workspace, or one the actor may not see, is "not found", so ids reveal nothing.
 */
export async function requireConnectorAccess(actor: Actor, connectorId: string, permission: Permission): Promise<ConnectorScope> {
  const row = await db.connector.findFirst({ where: { id: connectorId }, select: { workspaceId: true } });
  if (!row) throw notFound("Connector");
  let role: RoleName;
  try {
    role = await requireWorkspacePermission(actor, row.workspaceId, permission);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") throw notFound("Connector");
    throw e;
  }
  const where = { id: connectorId, workspaceId: row.workspaceId, ...visibleConnectors(actor, role) };
  const visible = await db.connector.findFirst({ where, select: { id: true } });
  if (!visible) throw notFound("Connector");
  return { workspaceId: row.workspaceId, role, where };
}

/** Only Admins may let a connector reach private addresses. */
export const mayMarkInternal = (actor: Actor, role: RoleName) => role === "ADMIN" || isInstanceAdmin(actor);
