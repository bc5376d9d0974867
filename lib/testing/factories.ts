import crypto from "node:crypto";
import type { Actor } from "../auth/actor";
import { hashPassword } from "../auth/password";
import { db } from "../db/client";
import type { RoleName } from "../schemas/workspaces";
import type { UsageRow } from "../usage/write";

// Test data with random names, so tests never depend on rows they did not create (CI reuses one PostgreSQL
// database for every file).
export const suffix = () => crypto.randomBytes(5).toString("hex");

export type UserActor = Extract<Actor, { type: "user" }>;

export async function createUser(opts: { isInstanceAdmin?: boolean; password?: string; email?: string; name?: string } = {}) {
  const s = suffix();
  const user = await db.user.create({
    data: {
      email: opts.email ?? `user-${s}@example.test`,
      name: opts.name ?? `User ${s}`,
      passwordHash: opts.password ? await hashPassword(opts.password) : null,
      isInstanceAdmin: opts.isInstanceAdmin ?? false,
    },
  });
  const actor: UserActor = { type: "user", id: user.id, email: user.email, name: user.name, isInstanceAdmin: user.isInstanceAdmin };
  return { user, actor };
}

export async function createWorkspace(opts: { name?: string; description?: string } = {}) {
  const s = suffix();
  return db.workspace.create({
    data: { name: opts.name ?? `WS ${s}`, slug: `ws-${s}`, description: opts.description ?? "" },
  });
}

export async function addMembership(workspaceId: string, userId: string, role: RoleName = "MEMBER") {
  return db.membership.create({ data: { workspaceId, userId, role } });
}

/** A workspace with a user in it under `role`. */
export async function userInWorkspace(role: RoleName, workspaceId?: string) {
  const ws = workspaceId ? await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } }) : await createWorkspace();
  const { user, actor } = await createUser();
  const membership = await addMembership(ws.id, user.id, role);
  return { ws, user, actor, membership };
}

export const systemActor: Actor = { type: "system" };
export const tokenActor: Actor = { type: "token", id: null, name: "test" };

/** A usage record as the metering writes it (a successful chat call at a fixed time), with `data` on top. */
export const usageRow = (workspaceId: string, data: Partial<UsageRow> = {}): UsageRow => ({
  requestId: `req_${suffix()}`,
  at: new Date("2031-03-04T10:15:00Z"),
  workspaceId,
  model: "gpt-test",
  status: 200,
  outcome: "success",
  attempts: [],
  latencyMs: 40,
  ...data,
});
