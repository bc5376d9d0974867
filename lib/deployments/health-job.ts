import { withLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { processSingleton } from "../db/global";
import { pruneHealthHistory, runDueChecks } from "./health-check";

const PRUNE_EVERY_MS = 10 * 60_000;
const pruneState = () => processSingleton("healthPrune", () => ({ last: 0 }));

/** Once a second, under a lease so one app instance probes at a time: the due instance checks, and pruning now and then. */
export const deploymentHealthJob: ScheduledJob = {
  name: "deployments.health",
  everyMs: 1000,
  async run() {
    await withLease("deployments.health", 30_000, async () => {
      await runDueChecks();
      const s = pruneState();
      if (Date.now() - s.last > PRUNE_EVERY_MS) {
        s.last = Date.now();
        await pruneHealthHistory();
      }
    });
  },
};
