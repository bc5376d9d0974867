import { db } from "../db/client";
import { isInstanceAdmin, requireInstancePermission, type Actor } from "../auth/actor";
import { PERMISSIONS, type Permission } from "../auth/permissions";
import { forbidden } from "../errors";

// The model registry is instance-wide: instance admins (and admin tokens) change it; people read it when some
// workspace gives them a role with the permission (models are the same in every workspace).
async function requireSomeRole(actor: Actor, permission: Permission, why: string): Promise<void> {
  if (isInstanceAdmin(actor)) return;
  if (actor.type !== "user") throw forbidden(why);
  const roles = [...PERMISSIONS[permission]];
  const m = await db.membership.findFirst({ where: { userId: actor.id, role: { in: roles } }, select: { id: true } });
  if (!m) throw forbidden(why);
}

/** Admins and Builders of any workspace read models, prices and routes. */
export const requireModelsRead = (actor: Actor) =>
  requireSomeRole(actor, "models.read", "Reading LLM models needs the Builder or Admin role");

/** The price catalog is public reference data: any member of a workspace reads it. */
export const requireCatalogRead = (actor: Actor) => requireSomeRole(actor, "catalog.read", "Sign in as a member of a workspace");

export const requireModelsManage = (actor: Actor) => requireInstancePermission(actor, "registry.manage");
