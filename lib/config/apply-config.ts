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

// Validation runs on the server's thread: a long list (48,000 items took 0.7 s of zod here) is checked in slices
// of this many milliseconds, with the event loop free in between, so the gateway never waits on an admin's file.
const SLICE_MS = 20;
// A file with thousands of problems is answered with the first ones; checking on after that only costs time
// (each failed item builds a ZodError, with a stack trace).
const MAX_REPORTED_PROBLEMS = 100;

/**
 * Validates a whole configuration document and returns the typed sections, or throws one validation error
 * listing the problems by path. Nothing is written here.
 */
export async function validateConfig(doc: unknown, envAccess: EnvAccess): Promise<Map<string, unknown[]>> {
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
  const policy = { ...envAccess, isSecretPath };
  let sliceStarted = performance.now();
  const out = new Map<string, unknown[]>();
  sections: for (const section of CONFIG_SECTIONS) {
    const raw = Object.hasOwn(doc, section.key) ? (doc as Record<string, unknown>)[section.key] : undefined;
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      problems.push({ path: section.key, message: "Expected a list" });
      continue;
    }
    const items: unknown[] = [];
    const seen = new Map<string, number>();
    for (const [i, entry] of raw.entries()) {
      if (problems.length > MAX_REPORTED_PROBLEMS) break sections;
      if (performance.now() - sliceStarted > SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        sliceStarted = performance.now();
      }
      const envProblems: FieldProblem[] = [];
      const resolved = resolveEnvRefs(entry, policy, envProblems, [section.key, i]);
      problems.push(...envProblems);
      const r = section.item.safeParse(resolved);
      if (!r.success) {
        // A field whose variable is refused or missing is reported once, for the variable, not again for its value.
        const unresolved = new Set(envProblems.map((p) => p.path));
        problems.push(...zodProblems(r.error, [section.key, i]).filter((p) => !unresolved.has(p.path)));
        continue;
      }
      if (envProblems.length) continue;
      const id = section.identity(r.data);
      const first = seen.get(id);
      if (first !== undefined) {
        problems.push({ path: formatPath([section.key, i, "name"]), message: `Duplicate of ${formatPath([section.key, first])}` });
        continue;
      }
      seen.set(id, i);
      items.push(r.data);
    }
    out.set(section.key, items);
  }
  if (problems.length > MAX_REPORTED_PROBLEMS) {
    throw new AppError(
      "validation_failed",
      `The configuration has more than ${MAX_REPORTED_PROBLEMS} problems (the first ${MAX_REPORTED_PROBLEMS} are listed); nothing was applied`,
      {
        fields: problems.slice(0, MAX_REPORTED_PROBLEMS),
      },
    );
  }
  if (problems.length) {
    throw new AppError(
      "validation_failed",
      `The configuration has ${problems.length} problem${problems.length > 1 ? "s" : ""}; nothing was applied`,
      {
        fields: problems,
      },
    );
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
  /** The start-up file's directory; a document without one (sent through the API) may not name local files. */
  baseDir?: string | null;
}): Promise<ApplyResult> {
  requireInstancePermission(opts.actor, "config.apply");
  const sections = await validateConfig(opts.doc, {
    lookup: opts.lookupEnv ?? ((n) => process.env[n]),
    allowed: opts.envAllowed ?? (opts.actor.type === "config" ? undefined : apiAllowed),
  });
  const dryRun = !!opts.dryRun;
  const prepareProblems: FieldProblem[] = [];
  for (const section of CONFIG_SECTIONS) {
    const items = sections.get(section.key);
    if (items?.length && section.prepare) {
      prepareProblems.push(
        ...(await section.prepare(items, { actor: opts.actor, baseDir: opts.actor.type === "config" ? (opts.baseDir ?? null) : null })),
      );
    }
  }
  if (prepareProblems.length) {
    throw new AppError(
      "validation_failed",
      `The configuration has ${prepareProblems.length} problem${prepareProblems.length > 1 ? "s" : ""}; nothing was applied`,
      {
        fields: prepareProblems.slice(0, MAX_REPORTED_PROBLEMS),
      },
    );
  }
  const changes = await db.$transaction(
    async (tx) => {
      const all: ConfigChange[] = [];
      for (const section of CONFIG_SECTIONS) {
        const items = sections.get(section.key);
        if (items) all.push(...(await section.apply(items, { tx, actor: opts.actor, requestId: opts.requestId, dryRun })));
      }
      for (const section of CONFIG_SECTIONS) {
        const items = sections.get(section.key);
        if (items && section.applyLate)
          all.push(...(await section.applyLate(items, { tx, actor: opts.actor, requestId: opts.requestId, dryRun })));
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
    { timeout: 120_000, maxWait: 30_000 },
  );
  if (!dryRun) {
    for (const section of CONFIG_SECTIONS) {
      const mine = changes.filter((c) => c.section === section.key && c.action !== "unchanged");
      if (mine.length) section.afterCommit?.(mine);
    }
  }
  const count = (a: ConfigChange["action"]) => changes.filter((c) => c.action === a).length;
  return { dryRun, changes, summary: { create: count("create"), update: count("update"), unchanged: count("unchanged") } };
}
