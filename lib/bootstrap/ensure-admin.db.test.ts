import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createScratchPostgres } from "../testing/scratch-postgres";

// First start needs an empty database. With PGlite every file has its own; on PostgreSQL this file creates
// a throwaway database (before lib/env is imported, hence the dynamic imports) and drops it afterwards.
type Mods = {
  ensureAdmin: typeof import("./ensure-admin").ensureAdmin;
  db: typeof import("../db/client").db;
  closeDb: typeof import("../db/client").closeDb;
  verifyPassword: typeof import("../auth/password").verifyPassword;
};
let m: Mods;
let drop: (() => Promise<void>) | null = null;
let skip = false;
let migrated = false;

beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    drop = await createScratchPostgres();
    skip = !drop;
    if (skip) return;
  } else {
    const template = inject("pgliteTemplate");
    if (template) fs.cpSync(template, path.join(process.env.SWITCHBOARD_DATA_DIR!, "pglite"), { recursive: true });
    migrated = !!template;
  }
  const client = await import("../db/client");
  const { migrateAppDatabase } = await import("../db/migrate-app");
  m = {
    ensureAdmin: (await import("./ensure-admin")).ensureAdmin,
    db: client.db,
    closeDb: client.closeDb,
    verifyPassword: (await import("../auth/password")).verifyPassword,
  };
  if (!migrated) await migrateAppDatabase();
});

afterAll(async () => {
  await m?.closeDb();
  await drop?.();
});

describe("ensureAdmin (first start)", () => {
  it("does nothing but warn when no admin credentials are given", async (ctx) => {
    if (skip) ctx.skip();
    expect(await m.ensureAdmin({})).toBe("skipped");
    expect(await m.ensureAdmin({ email: "a@b.test" })).toBe("skipped");
    expect(await m.db.user.count()).toBe(0);
  });

  it("creates the instance admin and a Default workspace they administer, once", async (ctx) => {
    if (skip) ctx.skip();
    expect(await m.ensureAdmin({ email: "  Admin@Example.TEST ", password: "first-start-pass" })).toBe("created");
    const users = await m.db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: "admin@example.test", name: "Admin", isInstanceAdmin: true });
    expect(users[0].passwordHash).not.toContain("first-start-pass");
    expect(await m.verifyPassword("first-start-pass", users[0].passwordHash)).toBe(true);
    const workspaces = await m.db.workspace.findMany({ include: { memberships: true } });
    expect(workspaces).toHaveLength(1);
    expect(workspaces[0]).toMatchObject({ name: "Default", slug: "default" });
    expect(workspaces[0].memberships).toEqual([expect.objectContaining({ userId: users[0].id, role: "ADMIN" })]);
    const audit = await m.db.auditEntry.findMany();
    expect(audit).toEqual([expect.objectContaining({ action: "instance.bootstrap", actorType: "system", targetId: users[0].id })]);
    expect(JSON.stringify(audit)).not.toContain("first-start-pass");

    // Second start, even with other credentials: nothing changes.
    expect(await m.ensureAdmin({ email: "other@example.test", password: "another-pass-1" })).toBe("exists");
    expect(await m.db.user.count()).toBe(1);
    expect(await m.db.workspace.count()).toBe(1);
    expect(await m.db.auditEntry.count()).toBe(1);
  });
});
