import { Worker } from "node:worker_threads";
import { AppError } from "../errors";

// Validating GitHub's 13 MB description with @readme/openapi-parser takes ~2 s of CPU; on the server's thread
// that is 2 s in which the gateway and /api/health do not answer. So validation runs in a thread of its own,
// kept between documents and replaced when it fails or runs out of time, like the YAML parser
// (lib/config/parse.ts). Its code is a string requiring only the parser package, so the route bundle and the
// custom server both carry it without a separate entry file. It takes the document as JSON text.
const THREAD_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { validate } = require("@readme/openapi-parser");
parentPort.on("message", async ({ id, json }) => {
  try {
    const r = await validate(JSON.parse(json), { resolve: { external: false, file: false, http: false }, validate: { errors: { colorize: false } } });
    parentPort.postMessage({ id, valid: r.valid, errors: r.valid ? [] : r.errors.map((e) => ({ message: String(e.message) })), additionalErrors: r.additionalErrors || 0 });
  } catch (e) {
    parentPort.postMessage({ id, valid: false, errors: [{ message: String((e && e.message) || e) }], additionalErrors: 0 });
  }
});
`;

const TIMEOUT_MS = 60_000;

export interface ValidationReply {
  valid: boolean;
  errors: { message: string }[];
  additionalErrors: number;
}

type Validator = { worker: Worker; queue: Promise<unknown>; lastId: number };
const SLOT = Symbol.for("switchboard.openapi-validator");
const holder = globalThis as unknown as { [SLOT]?: Validator | null };

function start(): Validator {
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 },
    execArgv: [],
    env: {},
  });
  worker.unref();
  const v: Validator = { worker, queue: Promise.resolve(), lastId: 0 };
  worker.once("exit", () => {
    if (holder[SLOT] === v) holder[SLOT] = null;
  });
  return v;
}

function run(v: Validator, json: string): Promise<ValidationReply> {
  const { worker } = v;
  const id = ++v.lastId;
  return new Promise((resolve, reject) => {
    const done = (f: () => void, stop = false) => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      worker.unref();
      if (stop) {
        if (holder[SLOT] === v) holder[SLOT] = null;
        void worker.terminate();
      }
      f();
    };
    const onMessage = (m: ValidationReply & { id: number }) => {
      if (m.id === id) done(() => resolve(m));
    };
    const onError = (e: Error & { code?: string }) =>
      done(
        () =>
          reject(
            e.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? new AppError("payload_too_large", "The document needs too much memory to validate")
              : new AppError("internal", `The document could not be validated: ${e.message.split("\n")[0]}`),
          ),
        true,
      );
    const onExit = (code: number) => done(() => reject(new Error(`the OpenAPI validator stopped (code ${code})`)), true);
    const timer = setTimeout(
      () => done(() => reject(new AppError("payload_too_large", `The document took longer than ${TIMEOUT_MS / 1000} s to validate`)), true),
      TIMEOUT_MS,
    );
    worker.on("message", onMessage).once("error", onError).once("exit", onExit);
    worker.ref();
    worker.postMessage({ id, json });
  });
}

/** Validates a document (as JSON text) in the validator thread, one document at a time. */
export function validateInThread(json: string): Promise<ValidationReply> {
  const v = (holder[SLOT] ??= start());
  const p = v.queue.then(() => run((holder[SLOT] ??= start()), json));
  v.queue = p.catch(() => undefined);
  return p;
}
