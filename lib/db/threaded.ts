import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { PrismaPGlite } from "pglite-prisma-adapter";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";
import { embeddedHandle, PGLITE_START_PARAMS, pgliteDir, type DbHandle } from "./client";
import type { ThreadOptions, ThreadReply, ThreadRequest, WireError } from "./thread-wire";
import { logger } from "../log";

// The embedded database in a thread of its own. PGlite is WebAssembly that runs on the thread that calls it: in
// the server's thread, every usage batch (a COPY and the rollup upsert, ~40 us of CPU per record) held up the
// requests queued behind it, which was most of the gateway's p99 and a sixth of its CPU per request. Here the
// server's thread only sends statements and receives rows (structured clones); Prisma talks to a driver adapter
// whose every call is one message. The custom server and the database tests open the database this way
// (scripts/server.ts, lib/testing/db.ts); `next dev`, `next build` and the scripts run PGlite on the thread that
// uses it (lib/db/client.ts).

type Request = ThreadRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;

const ADAPTER_NAME = new PrismaPGlite(undefined as never).adapterName;

function fromWire(e: WireError): Error {
  if (e.name === "DriverAdapterError" && e.cause)
    return new DriverAdapterError(e.cause as ConstructorParameters<typeof DriverAdapterError>[0]);
  return Object.assign(new Error(e.message), { name: e.name, ...(e.code ? { code: e.code } : {}) });
}

/** Starts the thread's entry: the compiled file beside this one, or from source through tsx. */
function startWorker(options: ThreadOptions): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(fileURLToPath(new URL("./pglite-thread.js", import.meta.url)), { workerData: options, execArgv: [] });
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./pglite-thread.ts", import.meta.url).href;
  const source = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(source, { eval: true, workerData: options, execArgv: [] });
}

export class DbThread {
  private worker: Worker;
  private closing = false;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private lastId = 0;
  private stopped: Error | null = null;

  constructor(options: ThreadOptions) {
    this.worker = startWorker(options);
    this.worker.unref();
    this.worker.on("message", (m: ThreadReply) => {
      const call = this.pending.get(m.id);
      if (!call) return;
      this.pending.delete(m.id);
      // Only a call in flight keeps the process alive (a script that opened the database can end).
      if (!this.pending.size) this.worker.unref();
      if (m.error) call.reject(fromWire(m.error));
      else call.resolve(m.value);
    });
    this.worker.on("error", (e) => {
      logger.error("the embedded database thread failed", { error: e });
      this.fail(e);
    });
    this.worker.on("exit", (code) => {
      // Every call in flight and after fails at once (never hangs); /api/health reports the database down.
      if (!this.closing) logger.error("the embedded database thread stopped; restart Switchboard", { code });
      this.fail(new Error(`the embedded database thread exited (code ${code})`));
    });
  }

  private fail(e: Error) {
    this.stopped ??= e;
    for (const call of this.pending.values()) call.reject(this.stopped);
    this.pending.clear();
  }

  call<T>(request: Request): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      try {
        this.worker.postMessage({ ...request, id });
      } catch (e) {
        // A value that cannot be cloned (a function, say) fails here, before anything reaches the database.
        reject(e as Error);
        return;
      }
      if (!this.pending.size) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    await this.call({ op: "close" });
    this.closing = true;
    await this.worker.terminate();
  }

  /** Stops the thread as a crash would (tests). */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}

class ThreadQueryable {
  readonly provider = "postgres" as const;
  readonly adapterName = ADAPTER_NAME;
  constructor(
    protected thread: DbThread,
    protected tx?: number,
  ) {}
  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.thread.call({ op: "queryRaw", query, tx: this.tx });
  }
  executeRaw(query: SqlQuery): Promise<number> {
    return this.thread.call({ op: "executeRaw", query, tx: this.tx });
  }
}

class ThreadTransaction extends ThreadQueryable implements Transaction {
  constructor(
    thread: DbThread,
    tx: number,
    readonly options: TransactionOptions,
  ) {
    super(thread, tx);
  }
  commit(): Promise<void> {
    return this.thread.call({ op: "commit", tx: this.tx! });
  }
  rollback(): Promise<void> {
    return this.thread.call({ op: "rollback", tx: this.tx! });
  }
}

class ThreadAdapter extends ThreadQueryable implements SqlDriverAdapter {
  executeScript(script: string): Promise<void> {
    return this.thread.call({ op: "executeScript", script });
  }
  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const { tx, options } = await this.thread.call<{ tx: number; options: TransactionOptions }>({ op: "startTransaction", isolationLevel });
    return new ThreadTransaction(this.thread, tx, options);
  }
  getConnectionInfo() {
    return { supportsRelationJoins: true };
  }
  async dispose(): Promise<void> {}
}

class ThreadAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = ADAPTER_NAME;
  constructor(private thread: DbThread) {}
  async connect(): Promise<SqlDriverAdapter> {
    return new ThreadAdapter(this.thread);
  }
  connectToShadowDb(): Promise<SqlDriverAdapter> {
    // Only `prisma migrate dev` asks for a shadow database; an in-memory PGlite here, as the adapter itself does.
    return new PrismaPGlite(undefined as never).connectToShadowDb();
  }
}

/** Opens the embedded database (the data directory's PGlite) in a thread of its own. */
export function openPgliteInThread(dir = pgliteDir()): DbHandle {
  const thread = new DbThread({ dir, startParams: PGLITE_START_PARAMS });
  return embeddedHandle(new ThreadAdapterFactory(thread), { batch: (steps) => thread.call({ op: "batch", steps }) }, () => thread.close());
}
