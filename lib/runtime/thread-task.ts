import { Worker } from "node:worker_threads";
import { AppError } from "../errors";

// A long-lived worker thread that runs one task at a time off the calling thread, for CPU-heavy work on untrusted
// input (YAML parsing, OpenAPI validation) that would otherwise stall the gateway and /api/health. Its code is a
// string (eval), so Next's route bundles and the custom server both carry it without an entry file. The thread is
// started on first use, kept between tasks, and replaced after a crash, an out-of-memory or a timeout; a task
// queued behind one that broke the thread runs in its replacement. Each message is `{ id, ...payload }` and the
// thread answers `{ id, ...reply }`.

export interface ThreadTaskOptions {
  /** Process-wide key of the thread (one per kind of task: a heap limit is per thread). */
  key: string;
  source: string;
  workerData?: unknown;
  heapMb: number;
  youngMb: number;
  timeoutMs: number;
  /** Errors for a thread that ran out of memory, failed, or took too long. */
  outOfMemory: () => AppError;
  failed: (message: string) => AppError;
  timedOut: () => AppError;
}

interface Runner {
  worker: Worker;
  queue: Promise<unknown>;
  lastId: number;
}
const holder = globalThis as unknown as Record<symbol, Runner | null | undefined>;

function start(o: ThreadTaskOptions, slot: symbol): Runner {
  const worker = new Worker(o.source, {
    eval: true,
    workerData: o.workerData,
    resourceLimits: { maxOldGenerationSizeMb: o.heapMb, maxYoungGenerationSizeMb: o.youngMb },
    execArgv: [],
    env: {},
  });
  worker.unref();
  const runner: Runner = { worker, queue: Promise.resolve(), lastId: 0 };
  worker.once("exit", () => {
    if (holder[slot] === runner) holder[slot] = null;
  });
  return runner;
}

function run<Reply>(o: ThreadTaskOptions, slot: symbol, runner: Runner, payload: object): Promise<Reply> {
  const { worker } = runner;
  const id = ++runner.lastId;
  return new Promise((resolve, reject) => {
    const done = (f: () => void, stop = false) => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      worker.unref();
      if (stop) {
        if (holder[slot] === runner) holder[slot] = null;
        void worker.terminate();
      }
      f();
    };
    const onMessage = (m: Reply & { id: number }) => {
      if (m.id === id) done(() => resolve(m));
    };
    const onError = (e: Error & { code?: string }) =>
      done(() => reject(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? o.outOfMemory() : o.failed(e.message.split("\n")[0])), true);
    const onExit = (code: number) => done(() => reject(new Error(`the ${o.key} thread stopped (code ${code})`)), true);
    const timer = setTimeout(() => done(() => reject(o.timedOut()), true), o.timeoutMs);
    worker.on("message", onMessage).once("error", onError).once("exit", onExit);
    worker.ref();
    worker.postMessage({ id, ...payload });
  });
}

/** A function that runs `payload` in the task's thread, one at a time, and resolves with the thread's reply. */
export function threadTask<Payload extends object, Reply>(o: ThreadTaskOptions): (payload: Payload) => Promise<Reply> {
  const slot = Symbol.for(o.key);
  return (payload) => {
    const runner = (holder[slot] ??= start(o, slot));
    const p = runner.queue.then(() => run<Reply>(o, slot, (holder[slot] ??= start(o, slot)), payload));
    runner.queue = p.catch(() => undefined);
    return p;
  };
}
