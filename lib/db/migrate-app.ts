import { dbHandle } from "./client";
import { applyMigrations } from "./migrate";

/** Brings the app's database (PGlite or PostgreSQL) up to the latest migration. */
export async function migrateAppDatabase(): Promise<string[]> {
  return applyMigrations(dbHandle().adapterFactory);
}
