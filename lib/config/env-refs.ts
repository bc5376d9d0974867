import type { FieldProblem } from "../errors";
import { ENV_NAMES } from "../env";
import { formatPath } from "../schemas/zod";

const REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Where exports write their `${env:...}` placeholders (lib/config/sections/*, lib/virtual-keys/config-keys.ts,
 * lib/budgets/config-budget.ts). They stay readable so an export applies again; no setting of Switchboard's may
 * start with one of them (env-refs.test.ts holds lib/env.ts to that).
 */
export const EXPORT_ENV_PREFIXES = ["SWITCHBOARD_SECRET_", "SWITCHBOARD_KEY_", "SWITCHBOARD_TOKEN_", "SWITCHBOARD_BUDGET_WEBHOOK_"];

/**
 * Switchboard's own settings: a configuration never reads them, not even into a secret field (a key value is
 * sent to whatever base URL the same file names). Every name lib/env.ts reads, and the whole SWITCHBOARD_ and
 * NEXTAUTH_ families apart from the export placeholders, so a setting added later is covered too.
 */
export function isReservedEnvName(name: string): boolean {
  if (ENV_NAMES.has(name) || name.startsWith("NEXTAUTH_")) return true;
  return name.startsWith("SWITCHBOARD_") && !EXPORT_ENV_PREFIXES.some((p) => name.startsWith(p));
}

/** `OPENAI_KEY,ANTHROPIC_*` (names, or prefixes ending in `*`) as a test of a variable's name. */
export function envAllowList(spec: string): (name: string) => boolean {
  const entries = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const names = new Set(entries.filter((e) => !e.endsWith("*")));
  const prefixes = entries.filter((e) => e.endsWith("*")).map((e) => e.slice(0, -1));
  return (name) => names.has(name) || prefixes.some((p) => name.startsWith(p));
}

export interface EnvRefPolicy {
  lookup(name: string): string | undefined;
  /** Whether the value at this path is a secret (stored encrypted, never read back). */
  isSecretPath(path: readonly (string | number)[]): boolean;
  /** Names this document may read beyond the reserved ones; undefined: any. */
  allowed?: (name: string) => boolean;
}

function refProblem(name: string, path: (string | number)[], policy: EnvRefPolicy): string | null {
  if (!policy.isSecretPath(path)) return `\${env:${name}} may only fill a secret field (a key value, a credential, a webhook secret)`;
  if (isReservedEnvName(name)) return `${name} is one of Switchboard's own settings and cannot be read by a configuration`;
  if (policy.allowed && !policy.allowed(name)) {
    return `${name} is not allowed in a configuration sent through the API (the operator lists allowed names in SWITCHBOARD_CONFIG_ENV_ALLOW)`;
  }
  return null;
}

/**
 * Replaces `${env:NAME}` in every string of a parsed document, in secret fields only and for permitted names only;
 * a variable is looked up only once it is permitted. Problems are reported by path, never with a value. Works on
 * a copy: the caller's object is untouched. The document's depth is bounded before this runs (parse.ts).
 */
export function resolveEnvRefs(value: unknown, policy: EnvRefPolicy, problems: FieldProblem[], path: (string | number)[] = []): unknown {
  if (typeof value === "string") {
    return value.replace(REF, (_m, name: string) => {
      const refused = refProblem(name, path, policy);
      if (refused) {
        problems.push({ path: formatPath(path), message: refused });
        return "";
      }
      const v = policy.lookup(name);
      if (v === undefined) {
        problems.push({ path: formatPath(path), message: `Environment variable ${name} is not set` });
        return "";
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvRefs(v, policy, problems, [...path, i]));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: resolveEnvRefs(v, policy, problems, [...path, k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * Tells secret paths of a document from the sections' `secretFields` (`keys[].value`: any index of keys).
 * The first two path parts are the section and the item's index.
 */
export function secretPathTest(sections: { key: string; secretFields?: string[] }[]): (path: readonly (string | number)[]) => boolean {
  const patterns = new Map(
    sections.map((s) => [
      s.key,
      (s.secretFields ?? []).map((f) => f.split(".").flatMap((p) => (p.endsWith("[]") ? [p.slice(0, -2), "[]"] : [p]))),
    ]),
  );
  return (path) => {
    const [section, index, ...rest] = path;
    if (typeof index !== "number") return false;
    return (patterns.get(String(section)) ?? []).some(
      (p) => p.length === rest.length && p.every((part, i) => (part === "[]" ? typeof rest[i] === "number" : part === rest[i])),
    );
  };
}
