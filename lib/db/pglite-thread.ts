// The embedded database's own thread (started by lib/db/threaded.ts): one PGlite and Prisma's PGlite adapter,
// answering the server thread's messages. PGlite is WebAssembly that runs on the thread that calls it; here its
// work (the usage batches above all) leaves the thread that serves requests.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Transaction } from "@prisma/driver-adapter-utils";
import { runBatch } from "./embedded";
import { toWireError, type ThreadOptions, type ThreadReply, type ThreadRequest } from "./thread-wire";

const port = parentPort!;
const { dir, startParams } = workerData as ThreadOptions;
const pglite = new PGlite(dir, { startParams });
const adapter = await new PrismaPGlite(pglite).connect();
const transactions = new Map<number, Transaction>();
let lastTx = 0;

function transaction(id: number): Transaction {
  const tx = transactions.get(id);
  if (!tx) throw new Error(`transaction ${id} is not open`);
  return tx;
}

// Requests run as they arrive, as they would in one thread: PGlite itself queues a statement behind an open
// transaction, so a statement outside it never runs inside it.
async function answer(m: ThreadRequest): Promise<unknown> {
  switch (m.op) {
    case "queryRaw":
      return (m.tx ? transaction(m.tx) : adapter).queryRaw(m.query);
    case "executeRaw":
      return (m.tx ? transaction(m.tx) : adapter).executeRaw(m.query);
    case "executeScript":
      // The adapter does not wait for the script; here it is awaited so that its errors reach the caller.
      await pglite.exec(m.script);
      return undefined;
    case "startTransaction": {
      const tx = await adapter.startTransaction(m.isolationLevel);
      transactions.set(++lastTx, tx);
      return { tx: lastTx, options: tx.options };
    }
    case "commit":
    case "rollback": {
      const tx = transaction(m.tx);
      transactions.delete(m.tx);
      return m.op === "commit" ? tx.commit() : tx.rollback();
    }
    case "batch":
      return runBatch(pglite, m.steps);
    case "close":
      if (!pglite.closed) await pglite.close();
      return undefined;
  }
}

port.on("message", (m: ThreadRequest) => {
  answer(m).then(
    (value) => port.postMessage({ id: m.id, value } satisfies ThreadReply),
    (e) => port.postMessage({ id: m.id, error: toWireError(e) } satisfies ThreadReply),
  );
});
