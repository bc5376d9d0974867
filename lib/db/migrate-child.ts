import { closeDb } from "./client";
import { migrateAppDatabase } from "./migrate-app";

// Child-process side of migrateIsolated (migrate-isolated.ts): opens the database, applies the migrations,
// closes it and sends the answer over the IPC channel.
function answer(message: { applied?: string[]; error?: string }): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
}

let code = 0;
try {
  const applied = await migrateAppDatabase();
  await closeDb();
  await answer({ applied });
} catch (e) {
  code = 1;
  await closeDb().catch(() => {});
  await answer({ error: e instanceof Error ? e.message : String(e) });
}
// The database is closed (PGlite has written its files): exit now. Left to itself the process lingered ~10 s
// after closing, on a handle the schema engine or the driver keeps, and the server's start waited for it.
process.exit(code);
