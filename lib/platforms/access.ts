import { db } from "../db/client";
import { forbidden } from "../errors";
import { isInstanceAdmin, requireInstancePermission, type Actor } from "../auth/actor";
import { PERMISSIONS } from "../auth/permissions";

/**
 * Platforms are instance-wide. Reading them is allowed to instance admins, admin tokens and anyone whose role
 * in some workspace carries `platforms.read` (the same rule as the console page); changing them needs
 * `registry.manage` (instance admins only).
 */
export async function requirePlatformRead(actor: Actor): Promise<void> {
  if (isInstanceAdmin(actor)) return;
  if (actor.type !== "user") throw forbidden();
  const member = await db.membership.findFirst({
    where: { userId: actor.id, role: { in: [...PERMISSIONS["platforms.read"]] } },
    select: { id: true },
  });
  if (!member) throw forbidden("Only workspace Admins can see platforms");
}

export function requirePlatformManage(actor: Actor): void {
  requireInstancePermission(actor, "registry.manage");
}
