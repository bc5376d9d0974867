import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { closeDb } from "./client";
import { migrateAppDatabase } from "./migrate-app";
import { projectRoot } from "./migrate";
import { db, dbKind } from "../testing/db";

const migrationDirs = fs
  .readdirSync(path.join(projectRoot(), "prisma", "migrations"))
  .filter((n) => fs.existsSync(path.join(projectRoot(), "prisma", "migrations", n, "migration.sql")))
  .sort();

describe("migrations", () => {
  it("apply every migration, then a second run applies nothing", async () => {
    const first = await migrateAppDatabase();
    // A fresh PGlite gets them all now; a shared PostgreSQL may have them from an earlier file.
    if (dbKind() === "pglite") expect(first).toEqual(migrationDirs);
    expect(await migrateAppDatabase()).toEqual([]);
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationDirs);
    // The schema is usable: a table from the init migration answers.
    expect(await db.workspace.count()).toBeGreaterThanOrEqual(0);
    await closeDb();
  });
});
