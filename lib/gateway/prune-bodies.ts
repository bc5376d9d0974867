import { db } from "../db/client";
import { withLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { logger } from "../log";

// Stored request bodies live for their workspace's bodyRetentionDays. One statement deletes what is older,
// per workspace retention (bodies of a deleted workspace go with the default of 7 days).

export async function pruneRequestBodies(now = new Date()): Promise<number> {
  const deleted = await db.$executeRaw`
    DELETE FROM "RequestBody" b
    WHERE b."at" < (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC') - make_interval(days => COALESCE((SELECT w."bodyRetentionDays" FROM "Workspace" w WHERE w."id" = b."workspaceId"), 7))`;
  if (deleted) logger.info("request bodies past retention deleted", { count: deleted });
  return deleted;
}

/** Every ten minutes, under a lease so one app instance deletes at a time. */
export const pruneBodiesJob: ScheduledJob = {
  name: "gateway.bodies.prune",
  everyMs: 10 * 60_000,
  async run() {
    await withLease("gateway.bodies.prune", 5 * 60_000, () => pruneRequestBodies());
  },
};
