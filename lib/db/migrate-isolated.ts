import { Worker } from "node:worker_threads";
import { migrateAppDatabase } from "./migrate-app";

// Start-up migrations in a worker thread. Prisma's schema engine is WebAssembly that, once loaded, keeps its
// memory (and, on the embedded database, a second PGlite's) for the life of the thread: run in the server's
// own thread it left the gateway at twice its resident memory. In a worker all of it is returned when the
// worker exits. The worker opens the database, migrates and closes it before this process opens it (one
// PGlite per data directory at a time). Where a worker cannot load TypeScript (no tsx), it migrates in-process.

export async function migrateInWorker(): Promise<string[]> {
  const entry = new URL("./migrate-worker.ts", import.meta.url).href;
  let started = false;
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const worker = new Worker(`import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(entry)});`, { eval: true });
      let answer: { applied?: string[]; error?: string } | null = null;
      let failure: Error | null = null;
      worker.once("online", () => (started = true));
      worker.once("message", (m: { applied?: string[]; error?: string }) => (answer = m));
      worker.once("error", (e) => (failure = e));
      // Settled on exit, not on the answer: the worker's memory (and its database handle) is gone by then.
      worker.once("exit", (code) => {
        if (answer?.error !== undefined) reject(new Error(answer.error));
        else if (answer) resolve(answer.applied ?? []);
        else reject(failure ?? new Error(`the migration worker exited (code ${code}) without an answer`));
      });
    });
  } catch (e) {
    if (started && !/Cannot find (package|module) 'tsx/.test((e as Error).message)) throw e;
    return migrateAppDatabase();
  }
}
