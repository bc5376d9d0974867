import { parentPort } from "node:worker_threads";
import { closeDb } from "./client";
import { migrateAppDatabase } from "./migrate-app";

// Worker side of migrateInWorker (migrate-isolated.ts): opens the database, applies the migrations, closes it.
try {
  const applied = await migrateAppDatabase();
  await closeDb();
  parentPort!.postMessage({ applied });
} catch (e) {
  await closeDb().catch(() => {});
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
