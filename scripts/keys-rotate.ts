// npm run keys:rotate - re-encrypts every stored secret with the current (first) key of
// SWITCHBOARD_ENCRYPTION_KEYS, in batches. Safe to interrupt and run again: it continues where it stopped.
import "./load-env";
import { closeDb } from "../lib/db/client";
import { migrateAppDatabase } from "../lib/db/migrate-app";
import { keyUsageCounts, rotateBatch } from "../lib/credentials/rotate-keys";

const batchSize = Math.max(1, Math.min(10_000, Number(process.env.ROTATE_BATCH_SIZE ?? 200)));

function printCounts(title: string, counts: Awaited<ReturnType<typeof keyUsageCounts>>) {
  console.log(title);
  for (const k of counts) console.log(`  ${k.keyId.padEnd(32)} ${String(k.count).padStart(8)}${k.current ? "  (current)" : ""}`);
}

await migrateAppDatabase();
printCounts("Secrets per key before:", await keyUsageCounts());
let afterId: string | undefined;
let total = 0;
let failures = 0;
for (;;) {
  const { rotated, failed, lastId } = await rotateBatch({ batchSize, afterId });
  total += rotated;
  failures += failed.length;
  for (const f of failed) console.error(`  cannot decrypt ${f.id}: ${f.reason}`);
  if (!lastId) break;
  afterId = lastId;
  console.log(`  re-encrypted ${total} so far`);
}
printCounts(`Re-encrypted ${total} secret(s). Secrets per key now:`, await keyUsageCounts());
if (failures) console.error(`${failures} secret(s) could not be decrypted with any available key and were left as they are.`);
await closeDb();
process.exit(failures ? 1 : 0);
