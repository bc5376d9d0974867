import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb, db, dbHandle, installDbHandle } from "../db/client";
import { openPgliteInThread } from "../db/threaded";
import { migrateAppDatabase } from "../db/migrate-app";
import { dataDir, env } from "../env";

export { db };

/**
 * Gives the test file a migrated database: a copy of the PGlite template made by global-setup.ts (its own temp
 * dir), or the shared PostgreSQL database. Closes it after the file's tests.
 */
export function useTestDb(): void {
  let copied = false;
  if (!env.DATABASE_URL) {
    const template = inject("pgliteTemplate");
    const target = path.join(dataDir, "pglite");
    if (template && !fs.existsSync(target)) {
      fs.cpSync(template, target, { recursive: true });
      copied = true;
    }
    // As the server opens it: in a thread of its own (lib/db/threaded.ts).
    installDbHandle(() => openPgliteInThread(target));
  }
  beforeAll(async () => {
    // The template is migrated already; otherwise (PostgreSQL, or a run without the global setup) migrate here.
    if (!copied) await migrateAppDatabase();
    // Opening the database (a thread, WebAssembly) can outlast Prisma's 2 s wait for a transaction on a loaded
    // machine, so a file whose first call opens a transaction failed; one query opens it first.
    await db.$queryRawUnsafe("SELECT 1");
  });
  // The temp dir itself is removed by setup-db-env.ts after this.
  afterAll(closeDb);
}

export const dbKind = () => dbHandle().kind;

/**
 * Tables (with the number of matching rows) whose row text contains `needle`: a canary sweep over the whole
 * database, to prove a secret is stored nowhere in plaintext.
 */
export async function tablesContaining(needle: string): Promise<Record<string, number>> {
  const tables = await db.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const hits: Record<string, number> = {};
  for (const { table_name } of tables) {
    const quoted = `"${table_name.replace(/"/g, '""')}"`;
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${quoted} t WHERE strpos(t::text, $1) > 0`,
      needle,
    );
    if (row.n > 0) hits[table_name] = row.n;
  }
  return hits;
}

/** Row counts of every table a domain write touches, for "nothing was written" assertions. */
export async function rowCounts() {
  const [users, workspaces, memberships, invitations, adminTokens, auditEntries] = await Promise.all([
    db.user.count(),
    db.workspace.count(),
    db.membership.count(),
    db.invitation.count(),
    db.adminToken.count(),
    db.auditEntry.count(),
  ]);
  return { users, workspaces, memberships, invitations, adminTokens, auditEntries };
}
