// The file name with its extension: the server runs as ES modules, and ajv has no "exports" map to resolve it.
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { logger } from "../log";

// A tool call's input checked against its tool's inputSchema (the JSON Schema a model was given). Validators are
// compiled once per operation and version and kept in a bounded cache: compiling costs milliseconds, checking
// microseconds.

const MAX_CACHED = 500;

// Formats (date-time, email...) are left to the API: JSON Schema treats them as annotations by default, and a
// model's output is better judged by the API that defines them than refused here.
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false, logger: false });
const cache = new Map<string, ValidateFunction | null>();

export interface InputProblem {
  /** JSON pointer into the input, e.g. "/body/amount" ("" for the input as a whole). */
  path: string;
  message: string;
}

function compiled(cacheKey: string, schema: unknown): ValidateFunction | null {
  let fn = cache.get(cacheKey);
  if (fn !== undefined) {
    // Most recently used last, so the oldest entry is the first one a full cache drops.
    cache.delete(cacheKey);
    cache.set(cacheKey, fn);
    return fn;
  }
  try {
    fn = ajv.compile(schema && typeof schema === "object" ? (schema as object) : {});
  } catch (e) {
    // A schema the validator cannot compile (a document's odd keyword) checks nothing rather than blocking every call.
    logger.warn("tool input schema does not compile; input is not checked", { cacheKey, error: e });
    fn = null;
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, fn);
  return fn;
}

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

function describe(e: ErrorObject): InputProblem {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === "required") return { path: `${e.instancePath}/${escape(String(p.missingProperty))}`, message: "is required" };
  if (e.keyword === "additionalProperties")
    return { path: `${e.instancePath}/${escape(String(p.additionalProperty))}`, message: "is not allowed (unknown property)" };
  return { path: e.instancePath, message: e.message ?? "is invalid" };
}

/**
 * The first problem with `input`, or null when it fits. Besides the schema, the input may hold only the tool's
 * own properties: a stray `base_url` or `api_key` is refused, not forwarded anywhere.
 */
export function checkToolInput(cacheKey: string, schema: unknown, input: unknown): InputProblem | null {
  if (!input || typeof input !== "object" || Array.isArray(input)) return { path: "", message: "must be a JSON object" };
  const properties = (schema as { properties?: Record<string, unknown> } | null)?.properties ?? {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(properties, key)) return { path: `/${escape(key)}`, message: "is not an input of this tool" };
  }
  const fn = compiled(cacheKey, schema);
  if (!fn || fn(input)) return null;
  return describe(fn.errors![0]);
}

/** For tests: how many validators are cached. */
export const cachedValidators = () => cache.size;
