import { withLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { pruneCallRecords, pruneUsageRecords } from "./retention";
import { pruneDeadLetters } from "./prune-dead-letters";

/** Every 15 minutes (and soon after start), on one app instance at a time: delete raw usage records, dead letters, and connector and MCP call records past retention. */
export const usageRetentionJob: ScheduledJob = {
  name: "usage.retention",
  everyMs: 15 * 60_000,
  async run() {
    await withLease("usage.retention", 5 * 60_000, async () => {
      await pruneUsageRecords();
      await pruneDeadLetters();
      await pruneCallRecords();
    });
  },
};
