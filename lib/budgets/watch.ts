import { processSingleton } from "../db/global";
import { logger } from "../log";
import { evaluateBudgets } from "./evaluate";

// Budgets are evaluated off the request path, after each usage batch is written: workspaces seen in a batch
// are queued and checked by one loop at a time per process, so a burst of batches costs one pass.

interface Watch {
  pending: Set<string>;
  running: Promise<void> | null;
}

const watch = () => processSingleton<Watch>("budgetWatch", () => ({ pending: new Set(), running: null }));

export function queueBudgetCheck(workspaceIds: Iterable<string>): void {
  const w = watch();
  for (const id of workspaceIds) w.pending.add(id);
  if (!w.pending.size || w.running) return;
  w.running = (async () => {
    while (w.pending.size) {
      const ids = [...w.pending];
      w.pending.clear();
      try {
        await evaluateBudgets({ workspaceIds: ids });
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
