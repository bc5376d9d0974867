import { db } from "../db/client";
import { isInstanceAdmin, requireInstancePermission, type Actor } from "../auth/actor";
import { forbidden } from "../errors";
import { PERMISSIONS } from "../auth/permissions";

/**
 * Deployments are instance-wide (shared by every workspace). Instance admins and admin tokens read them; so does
 * anyone whose role in at least one workspace carries `deployments.read` (an Admin of some workspace).
 */
export async function requireDeploymentsRead(actor: Actor): Promise<void> {
  if (isInstanceAdmin(actor)) return;
  if (actor.type !== "user") throw forbidden();
  const roles = [...PERMISSIONS["deployments.read"]];
  const member = await db.membership.findFirst({ where: { userId: actor.id, role: { in: roles } }, select: { id: true } });
  if (!member) throw forbidden("Only workspace Admins can view deployments");
}

/** Every change to a deployment or its instances. */
export function requireDeploymentsManage(actor: Actor): void {
  requireInstancePermission(actor, "registry.manage");
}
