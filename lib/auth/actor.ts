import { db } from "../db/client";
import { env } from "../env";
import { AppError, forbidden, notFound } from "../errors";
import type { RoleName } from "../schemas/workspaces";
import { roleAllows, type InstancePermission, type Permission } from "./permissions";
import { hashSecret, safeEqual } from "./secret-token";

// Who is acting. Admin tokens (from Settings or SWITCHBOARD_ADMIN_TOKEN) act with instance-admin rights.
export type Actor =
  | { type: "user"; id: string; email: string; name: string; isInstanceAdmin: boolean }
  | { type: "token"; id: string | null; name: string }
  | { type: "config"; source: string }
  | { type: "system" };

export function actorLabel(a: Actor): string {
  switch (a.type) {
    case "user":
      return a.email;
    case "token":
      return `token:${a.name}`;
    case "config":
      return `config:${a.source}`;
    case "system":
      return "system";
  }
}

export function actorId(a: Actor): string | null {
  return a.type === "user" ? a.id : a.type === "token" ? a.id : null;
}

export function isInstanceAdmin(a: Actor): boolean {
  return a.type !== "user" || a.isInstanceAdmin;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves a bearer admin token; throws `unauthenticated` for anything that is not a live token. */
export async function actorFromAdminToken(raw: string): Promise<Actor> {
  const token = raw.trim();
  if (env.SWITCHBOARD_ADMIN_TOKEN && safeEqual(token, env.SWITCHBOARD_ADMIN_TOKEN)) {
    return { type: "token", id: null, name: "SWITCHBOARD_ADMIN_TOKEN" };
  }
  if (token.length < 20 || token.length > 200) throw new AppError("unauthenticated", "Invalid or revoked admin token");
  const row = await db.adminToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) {
    throw new AppError("unauthenticated", "Invalid or revoked admin token");
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.adminToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { type: "token", id: row.id, name: row.name };
}

export async function actorFromUserId(userId: string | undefined | null): Promise<Actor | null> {
  if (!userId) return null;
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user || user.disabledAt) return null;
  return { type: "user", id: user.id, email: user.email, name: user.name, isInstanceAdmin: user.isInstanceAdmin };
}

/** The actor's role in a workspace (instance admins and tokens are Admin everywhere); null if not a member. */
export async function roleIn(actor: Actor, workspaceId: string): Promise<RoleName | null> {
  if (isInstanceAdmin(actor)) {
    const exists = await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } });
    return exists ? "ADMIN" : null;
  }
  if (actor.type !== "user") return null;
  const m = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId: actor.id } },
    select: { role: true },
  });
  return m?.role ?? null;
}

/** Throws not_found when the actor cannot see the workspace at all, forbidden when the role is too low. */
export async function requireWorkspacePermission(actor: Actor, workspaceId: string, permission: Permission): Promise<RoleName> {
  const role = await roleIn(actor, workspaceId);
  if (!role) throw notFound("Workspace");
  if (!roleAllows(role, permission)) throw forbidden();
  return role;
}

export function requireInstancePermission(actor: Actor, _permission: InstancePermission): void {
  if (!isInstanceAdmin(actor)) throw forbidden("Only an instance admin can do this");
}
