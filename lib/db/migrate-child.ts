import { closeDb } from "./client";
import { migrateAppDatabase } from "./migrate-app";

// Child-process side of migrateIsolated (migrate-isolated.ts): opens the database, applies the migrations,
// closes it and sends the answer over the IPC channel.
function answer(message: { applied?: string[]; error?: string }): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
}

try {
  const applied = await migrateAppDatabase();
  await closeDb();
  await answer({ applied });
} catch (e) {
  await closeDb().catch(() => {});
  await answer({ error: e instanceof Error ? e.message : String(e) });
}
process.disconnect?.();
