import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { closeDb, dbHandle } from "./client";
import { migrateIsolated } from "./migrate-isolated";
import { projectRoot } from "./migrate";

const migrationDirs = fs
  .readdirSync(path.join(projectRoot(), "prisma", "migrations"))
  .filter((n) => fs.existsSync(path.join(projectRoot(), "prisma", "migrations", n, "migration.sql")))
  .sort();

describe("migrations in a child process (server start-up)", () => {
  it("migrate this process's database and leave it closed for this process to open", async () => {
    const first = await migrateIsolated();
    if (dbHandle().kind === "pglite") expect(first).toEqual(migrationDirs);
    expect(await migrateIsolated()).toEqual([]);
    const rows = await dbHandle().prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationDirs);
    await closeDb();
    // A fresh PGlite's initdb and two child start-ups: slow on a busy 2-core machine.
  }, 120_000);

  it("report the child's failure as an error", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";
    try {
      await expect(migrateIsolated()).rejects.toThrow();
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  }, 60_000);
});
