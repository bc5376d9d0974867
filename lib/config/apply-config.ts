import { db } from "../db/client";
import { requireInstancePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, type FieldProblem } from "../errors";
import { formatPath, zodProblems } from "../schemas/zod";
import { env } from "../env";
import { envAllowList, resolveEnvRefs, secretPathTest } from "./env-refs";
import { CONFIG_SECTIONS, FUTURE_SECTIONS } from "./sections";
import type { ConfigChange } from "./types";

export interface ApplyResult {
  dryRun: boolean;
  changes: ConfigChange[];
  summary: { create: number; update: number; unchanged: number };
}

export interface EnvAccess {
  lookup(name: string): string | undefined;
  /** Names the document may read (Switchboard's own settings never); undefined: any. */
  allowed?: (name: string) => boolean;
}

const isSecretPath = secretPathTest(CONFIG_SECTIONS);
const apiAllowed = envAllowList(env.SWITCHBOARD_CONFIG_ENV_ALLOW);

/**
 * Validates a whole configuration document and returns the typed sections, or throws one validation error
 * listing every problem by path. Nothing is written here.
 */
export function validateConfig(doc: unknown, envAccess: EnvAccess): Map<string, unknown[]> {
  const problems: FieldProblem[] = [];
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new AppError("validation_failed", "The configuration must be a mapping of sections", {
      fields: [{ path: "(root)", message: "Expected a mapping with sections such as workspaces:" }],
    });
  }
  const known = new Set(CONFIG_SECTIONS.map((s) => s.key));
  for (const key of Object.keys(doc)) {
    if (known.has(key)) continue;
    problems.push({
      path: key,
      message: FUTURE_SECTIONS.includes(key)
        ? "This section is not supported by this version of Switchboard yet"
        : `Unknown section (expected one of: ${[...known].join(", ")})`,
    });
  }
  const envProblems: FieldProblem[] = [];
  const resolved = resolveEnvRefs(doc, { ...envAccess, isSecretPath }, envProblems) as Record<string, unknown>;
  problems.push(...envProblems);
  // A field whose variable is missing is reported once, for the variable, not again for its empty value.
  const unresolved = new Set(envProblems.map((p) => p.path));
  const out = new Map<string, unknown[]>();
  for (const section of CONFIG_SECTIONS) {
    const raw = resolved[section.key];
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      problems.push({ path: section.key, message: "Expected a list" });
      continue;
    }
    const items: unknown[] = [];
    const seen = new Map<string, number>();
    raw.forEach((entry, i) => {
      const r = section.item.safeParse(entry);
      if (!r.success) {
        problems.push(...zodProblems(r.error, [section.key, i]).filter((p) => !unresolved.has(p.path)));
        return;
      }
      const id = section.identity(r.data);
      const first = seen.get(id);
      if (first !== undefined) {
        problems.push({ path: formatPath([section.key, i, "name"]), message: `Duplicate of ${formatPath([section.key, first])}` });
        return;
      }
      seen.set(id, i);
      items.push(r.data);
    });
    out.set(section.key, items);
  }
  if (problems.length) {
    throw new AppError("validation_failed", `The configuration has ${problems.length} problem${problems.length > 1 ? "s" : ""}; nothing was applied`, {
      fields: problems,
    });
  }
  return out;
}

/** Applies a configuration document all-or-nothing, in one transaction. Idempotent. */
export async function applyConfig(opts: {
  actor: Actor;
  doc: unknown;
  dryRun?: boolean;
  requestId?: string;
  lookupEnv?: (name: string) => string | undefined;
  /**
   * Variables the document may read. Omitted: the start-up file (the "config" actor) may read any but
   * Switchboard's own settings; a document sent by a person or token only those the operator allowed.
   */
  envAllowed?: (name: string) => boolean;
}): Promise<ApplyResult> {
  requireInstancePermission(opts.actor, "config.apply");
  const sections = validateConfig(opts.doc, {
    lookup: opts.lookupEnv ?? ((n) => process.env[n]),
    allowed: opts.envAllowed ?? (opts.actor.type === "config" ? undefined : apiAllowed),
  });
  const dryRun = !!opts.dryRun;
  const changes = await db.$transaction(
    async (tx) => {
      const all: ConfigChange[] = [];
      for (const section of CONFIG_SECTIONS) {
        const items = sections.get(section.key);
        if (items) all.push(...(await section.apply(items, { tx, actor: opts.actor, requestId: opts.requestId, dryRun })));
      }
      for (const section of CONFIG_SECTIONS) {
        const items = sections.get(section.key);
        if (items && section.applyLate) all.push(...(await section.applyLate(items, { tx, actor: opts.actor, requestId: opts.requestId, dryRun })));
      }
      const changed = all.filter((c) => c.action !== "unchanged");
      if (!dryRun && changed.length) {
        await recordAudit(tx, {
          actor: opts.actor,
          action: "config.apply",
          targetType: "config",
          targetLabel: `${changed.length} change${changed.length > 1 ? "s" : ""}`,
          changes: Object.fromEntries(changed.map((c) => [`${c.section}/${c.name}`, { from: null, to: c.action }])),
          requestId: opts.requestId,
        });
      }
      return all;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  const count = (a: ConfigChange["action"]) => changes.filter((c) => c.action === a).length;
  return { dryRun, changes, summary: { create: count("create"), update: count("update"), unchanged: count("unchanged") } };
}
