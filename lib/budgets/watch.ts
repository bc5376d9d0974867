import { processSingleton } from "../db/global";
import { logger } from "../log";
import { evaluateBudgets } from "./evaluate";

// Budgets are evaluated off the request path, after each usage batch is written: workspaces seen in a batch
// are queued and checked by one loop at a time per process, so a burst of batches costs one pass.

interface Watch {
  pending: Set<string>;
  /** Budget scopes ("workspace:<id>", "key:<id>") that refused a call since the last pass. */
  refused: Set<string>;
  lastRefusal: Map<string, number>;
  running: Promise<void> | null;
  lastPass: number;
}

const watch = () =>
  processSingleton<Watch>("budgetWatch", () => ({
    pending: new Set(),
    refused: new Set(),
    lastRefusal: new Map(),
    running: null,
    lastPass: 0,
  }));
const MIN_PASS_GAP_MS = 1_000;
const REFUSAL_NOTE_MS = 60_000;

/**
 * The gateway refused a call on a blocking budget. The hold for a call's estimate can stop calls just short of
 * 100 %, so such a refusal counts as reaching 100 % once 80 % is spent (lib/budgets/evaluate.ts). Noted at most
 * once a minute per budget, so a client retrying in a loop costs nothing.
 */
export function noteBudgetRefusal(workspaceId: string, scope: string, now = Date.now()): void {
  const w = watch();
  if (now - (w.lastRefusal.get(scope) ?? -Infinity) < REFUSAL_NOTE_MS) return;
  if (w.lastRefusal.size > 10_000) w.lastRefusal.clear();
  w.lastRefusal.set(scope, now);
  w.refused.add(scope);
  queueBudgetCheck([workspaceId]);
}

export function queueBudgetCheck(workspaceIds: Iterable<string>): void {
  const w = watch();
  for (const id of workspaceIds) w.pending.add(id);
  if (!w.pending.size || w.running) return;
  w.running = (async () => {
    while (w.pending.size) {
      // At most one pass a second: under load a usage batch lands several times a second, and each pass is a
      // few queries on the database the gateway's thread also serves (PGlite).
      const wait = w.lastPass + MIN_PASS_GAP_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      w.lastPass = Date.now();
      const ids = [...w.pending];
      const refused = new Set(w.refused);
      w.pending.clear();
      w.refused.clear();
      try {
        await evaluateBudgets({ workspaceIds: ids, refusedScopes: refused });
      } catch (e) {
        logger.error("budget check failed", { error: e });
      }
    }
  })().finally(() => {
    w.running = null;
  });
}

/** Resolves when queued checks are done (tests and shutdown). */
export async function budgetChecksSettled(): Promise<void> {
  while (watch().running) await watch().running;
}
