import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import { logger } from "../log";

// MCP tools' input schemas are checked here (a model's bad arguments answer a JSON-RPC error, not a call): the
// server's own `$schema` (often draft-07) is dropped so one validator reads them all; one that does not compile
// checks nothing (the server still checks). Compiled once per server, tool and schema, in a bounded cache.
//
// The schemas come from servers of every workspace: each is compiled in an Ajv instance of its own, so an `$id`
// (its top-level one dropped, nested ones kept inside that instance) registers nowhere else: two servers with the
// same `$id` are each checked against their own schema, a `$ref` cannot reach another server's schema, and a
// validator evicted from the cache takes its instance (and everything it registered) with it. One shared instance
// checks schemas against the meta-schema (compiled there once); it registers nothing.

const OPTIONS = { strict: false, allErrors: false, validateFormats: false, logger: false } as const;
const metaSchemaCheck = new Ajv2020(OPTIONS);
const validators = new Map<string, ValidateFunction | null>();
const MAX_VALIDATORS = 500;

function compile(schema: Record<string, unknown>): ValidateFunction {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  if (!metaSchemaCheck.validateSchema(rest)) throw new Error(`invalid schema: ${metaSchemaCheck.errorsText()}`);
  return new Ajv2020({ ...OPTIONS, validateSchema: false }).compile(rest);
}

/** Why the arguments do not fit the tool's input schema, or null (also when the schema cannot be used). */
export function argumentProblem(cacheKey: string, schema: Record<string, unknown>, args: Record<string, unknown>): string | null {
  let fn = validators.get(cacheKey);
  if (fn === undefined) {
    try {
      fn = compile(schema);
    } catch (e) {
      logger.warn("mcp tool input schema does not compile; arguments are not checked", { cacheKey, error: e });
      fn = null;
    }
    if (validators.size >= MAX_VALIDATORS) validators.delete(validators.keys().next().value!);
    validators.set(cacheKey, fn);
  }
  if (!fn || fn(args)) return null;
  const e = fn.errors![0];
  const p = e.params as Record<string, unknown>;
  if (e.keyword === "required") return `'${e.instancePath}/${String(p.missingProperty)}' is required`;
  if (e.keyword === "additionalProperties") return `'${e.instancePath}/${String(p.additionalProperty)}' is not an argument of this tool`;
  return `'${e.instancePath || "/"}' ${e.message ?? "is invalid"}`;
}
