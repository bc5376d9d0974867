import { db } from "../db/client";
import { isInstanceAdmin, requireWorkspacePermission, type Actor } from "../auth/actor";
import { PERMISSIONS } from "../auth/permissions";
import { forbidden } from "../errors";

/** The workspaces a usage report covers: a list of ids, or null for every workspace (instance admins and tokens). */
export type UsageScope = { workspaceIds: string[] | null };

/**
 * Which workspaces' usage the actor may read. One workspace asked for: the actor needs `usage.read` there (not a
 * member: not_found; a Member: forbidden). None asked for: every workspace where the actor's role has
 * `usage.read` (Admins: those they administer; Builders: theirs); nobody else gets any (forbidden).
 * Reports put this list in the WHERE of every query.
 */
export async function usageScope(actor: Actor, workspaceId?: string): Promise<UsageScope> {
  if (workspaceId) {
    await requireWorkspacePermission(actor, workspaceId, "usage.read");
    return { workspaceIds: [workspaceId] };
  }
  if (isInstanceAdmin(actor)) return { workspaceIds: null };
  if (actor.type !== "user") throw forbidden();
  const rows = await db.membership.findMany({
    where: { userId: actor.id, role: { in: [...PERMISSIONS["usage.read"]] } },
    select: { workspaceId: true },
  });
  if (!rows.length) throw forbidden("Only Admins and Builders can read usage");
  return { workspaceIds: rows.map((r) => r.workspaceId).sort() };
}
