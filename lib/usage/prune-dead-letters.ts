import { db } from "../db/client";
import { logger } from "../log";

const DEFAULT_RETENTION_DAYS = 90;

/**
 * Deletes dead letters older than their workspace's raw-record retention (they hold a raw record, caller ids
 * included), and those of deleted workspaces after the default 90 days. They are few: one statement.
 */
export async function pruneDeadLetters(opts: { now?: Date } = {}): Promise<number> {
  const now = (opts.now ?? new Date()).getTime();
  const n = await db.$executeRaw`DELETE FROM "UsageDeadLetter" d
    WHERE d."at" < ${new Date(now).toISOString().replace("Z", "")}::timestamp(3)
      - make_interval(days => COALESCE((SELECT w."usageRetentionDays" FROM "Workspace" w WHERE w."id" = d."workspaceId"), ${DEFAULT_RETENTION_DAYS}::int))`;
  if (n) logger.info("usage dead letters pruned", { deleted: n });
  return n;
}
