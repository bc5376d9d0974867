// npm run db:migrate - applies prisma/migrations to the configured database (PGlite by default).
import { closeDb, dbHandle } from "../lib/db/client";
import { migrateAppDatabase } from "../lib/db/migrate-app";

const applied = await migrateAppDatabase();
console.log(`${dbHandle().kind}: ${applied.length ? "applied " + applied.join(", ") : "already up to date"}`);
await closeDb();
// The wasm schema engine leaves a timer behind that would keep the process alive for ~10 s.
process.exit(0);
