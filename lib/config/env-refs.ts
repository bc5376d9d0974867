import type { FieldProblem } from "../errors";
import { formatPath } from "../schemas/zod";

const REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${env:NAME}` in every string of a parsed document. Missing variables are reported by path, never by
 * value. Works on a copy: the caller's object is untouched.
 */
export function resolveEnvRefs(
  value: unknown,
  lookup: (name: string) => string | undefined,
  problems: FieldProblem[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(REF, (_m, name: string) => {
      const v = lookup(name);
      if (v === undefined) {
        problems.push({ path: formatPath(path), message: `Environment variable ${name} is not set` });
        return "";
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvRefs(v, lookup, problems, [...path, i]));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: resolveEnvRefs(v, lookup, problems, [...path, k]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
