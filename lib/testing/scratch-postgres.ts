import crypto from "node:crypto";
import pg from "pg";

/**
 * Creates an empty database next to the one in DATABASE_URL and points DATABASE_URL at it, for the few tests
 * that need a truly empty database (first-start bootstrap). Call before anything imports lib/env. Returns a
 * function that drops it; resolves to null if the role may not create databases.
 */
export async function createScratchPostgres(): Promise<(() => Promise<void>) | null> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `${base.pathname.slice(1) || "sb"}_scratch_${crypto.randomBytes(4).toString("hex")}`.toLowerCase();
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch {
    return null;
  } finally {
    await admin.end();
  }
  const scratch = new URL(base);
  scratch.pathname = `/${name}`;
  process.env.DATABASE_URL = scratch.toString();
  return async () => {
    const c = new pg.Client({ connectionString: base.toString() });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
}
