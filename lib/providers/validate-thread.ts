import { AppError } from "../errors";
import { threadTask } from "../runtime/thread-task";

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

const validate = threadTask<{ json: string }, ValidationReply>({
  key: "switchboard.openapi-validator",
  source: THREAD_SOURCE,
  heapMb: 1024,
  youngMb: 64,
  timeoutMs: TIMEOUT_MS,
  outOfMemory: () => new AppError("payload_too_large", "The document needs too much memory to validate"),
  failed: (message) => new AppError("internal", `The document could not be validated: ${message}`),
  timedOut: () => new AppError("payload_too_large", `The document took longer than ${TIMEOUT_MS / 1000} s to validate`),
});

/** Validates a document (as JSON text) in the validator thread, one document at a time. */
export const validateInThread = (json: string): Promise<ValidationReply> => validate({ json });
