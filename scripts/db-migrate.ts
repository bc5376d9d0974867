// npm run db:migrate - applies prisma/migrations to the configured database (PGlite by default).
import { closeDb, dbHandle } from "../lib/db/client";
import { migrateAppDatabase } from "../lib/db/migrate-app";

const applied = await migrateAppDatabase();
console.log(`${dbHandle().kind}: ${applied.length ? "applied " + applied.join(", ") : "already up to date"}`);
await closeDb();
// Something in the migration run leaves a ~10 s timer behind (seen here); do not wait for it.
process.exit(0);
