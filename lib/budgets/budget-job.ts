import { withLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { evaluateBudgets } from "./evaluate";

// Budgets are checked after every usage batch (lib/budgets/watch.ts); this sweep catches what that misses: a
// budget lowered below the month's spend, or a check that failed while the database was away. One instance at a time.
export const budgetSweepJob: ScheduledJob = {
  name: "budgets.sweep",
  everyMs: 5 * 60_000,
  async run() {
    await withLease("budgets.sweep", 2 * 60_000, () => evaluateBudgets());
  },
};
