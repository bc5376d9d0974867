import { Prisma } from "../db/generated/client";
import { db } from "../db/client";
import type { Tx } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import { logger } from "../log";
import { DAY_MS, type UsageSettingsDto, type UsageSettingsInput } from "../schemas/usage";

// Raw usage records are kept `Workspace.usageRetentionDays` days (default 90); hourly and daily rollups are kept
// for good, so reports over older ranges still answer (only filters across dimensions need raw records).

const DEFAULT_RETENTION_DAYS = 90;
/** The key pruneUsageRecords reports deleted workspaces' records under. */
export const ORPHANED = "(deleted workspaces)";

export async function getUsageSettings({ actor, workspaceId }: { actor: Actor; workspaceId: string }): Promise<UsageSettingsDto> {
  await requireWorkspacePermission(actor, workspaceId, "usage.read");
  const ws = await db.workspace.findUnique({ where: { id: workspaceId }, select: { usageRetentionDays: true } });
  if (!ws) throw notFound("Workspace");
  return { workspaceId, usageRetentionDays: ws.usageRetentionDays };
}

/** Sets the retention inside `tx` with an audit entry when it changes (the console, the API and config files). */
export async function setUsageRetentionIn(
  tx: Tx,
  opts: { actor: Actor; workspaceId: string; days: number; requestId?: string | null },
): Promise<UsageSettingsDto> {
  const before = await tx.workspace.findUnique({
    where: { id: opts.workspaceId },
    select: { id: true, name: true, usageRetentionDays: true },
  });
  if (!before) throw notFound("Workspace");
  if (before.usageRetentionDays !== opts.days) {
    // registry-neutral: the retention is read by the pruning job, not the gateway.
    await tx.workspace.update({ where: { id: before.id }, data: { usageRetentionDays: opts.days } });
    await recordAudit(tx, {
      actor: opts.actor,
      action: "workspace.update",
      targetType: "workspace",
      targetId: before.id,
      targetLabel: before.name,
      workspaceId: before.id,
      changes: { usageRetentionDays: { from: before.usageRetentionDays, to: opts.days } },
      requestId: opts.requestId,
    });
  }
  return { workspaceId: before.id, usageRetentionDays: opts.days };
}

/** Admins change how long raw usage records are kept. */
export async function updateUsageSettings(opts: {
  actor: Actor;
  workspaceId: string;
  input: UsageSettingsInput;
  requestId?: string;
}): Promise<UsageSettingsDto> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "workspace.update");
  return db.$transaction((tx) =>
    setUsageRetentionIn(tx, {
      actor: opts.actor,
      workspaceId: opts.workspaceId,
      days: opts.input.usageRetentionDays,
      requestId: opts.requestId,
    }),
  );
}

/**
 * Deletes raw usage records older than each workspace's retention, `batchSize` rows per statement (short
 * transactions, no long lock on the table the gateway writes to), and records of deleted workspaces after the
 * default 90 days. Returns the rows deleted per workspace.
 */
export async function pruneUsageRecords(
  opts: { now?: Date; batchSize?: number; maxBatches?: number; workspaceIds?: string[] } = {},
): Promise<Record<string, number>> {
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? 5000;
  let budget = opts.maxBatches ?? 1000;
  const out: Record<string, number> = {};
  const workspaces = await db.workspace.findMany({
    ...(opts.workspaceIds ? { where: { id: { in: opts.workspaceIds } } } : {}),
    select: { id: true, usageRetentionDays: true },
    orderBy: { id: "asc" },
  });
  for (const w of workspaces) {
    const cutoff = new Date(now.getTime() - w.usageRetentionDays * DAY_MS).toISOString().replace("Z", "");
    for (;;) {
      if (budget-- <= 0) return out;
      const n = await db.$executeRaw`DELETE FROM "UsageRecord" WHERE "id" IN (
        SELECT "id" FROM "UsageRecord" WHERE "workspaceId" = ${w.id} AND "at" < ${cutoff}::timestamp(3) LIMIT ${batchSize})`;
      if (n) out[w.id] = (out[w.id] ?? 0) + n;
      if (n < batchSize) break;
    }
  }
  if (!opts.workspaceIds) {
    // Records of deleted workspaces (nothing references a workspace from UsageRecord) go after the default retention.
    const cutoff = new Date(now.getTime() - DEFAULT_RETENTION_DAYS * DAY_MS).toISOString().replace("Z", "");
    for (;;) {
      if (budget-- <= 0) break;
      const n = await db.$executeRaw`DELETE FROM "UsageRecord" WHERE "id" IN (
        SELECT r."id" FROM "UsageRecord" r WHERE r."at" < ${cutoff}::timestamp(3)
          AND NOT EXISTS (SELECT 1 FROM "Workspace" w WHERE w."id" = r."workspaceId") LIMIT ${batchSize})`;
      if (n) out[ORPHANED] = (out[ORPHANED] ?? 0) + n;
      if (n < batchSize) break;
    }
  }
  const total = Object.values(out).reduce((a, b) => a + b, 0);
  if (total) logger.info("usage records pruned", { deleted: total, workspaces: Object.keys(out).length });
  return out;
}

// The activity tabs' call records (connector tool calls, MCP tool calls) follow the same per-workspace retention as
// raw usage records; they cascade with their workspace, so there are no orphans to sweep.
const CALL_TABLES = ["ConnectorCall", "McpCall"] as const;

/** Deletes connector and MCP call records older than each workspace's retention; returns the rows deleted per table. */
export async function pruneCallRecords(
  opts: { now?: Date; batchSize?: number; maxBatches?: number; workspaceIds?: string[] } = {},
): Promise<Record<(typeof CALL_TABLES)[number], number>> {
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? 5000;
  let budget = opts.maxBatches ?? 1000;
  const out = { ConnectorCall: 0, McpCall: 0 };
  const workspaces = await db.workspace.findMany({
    ...(opts.workspaceIds ? { where: { id: { in: opts.workspaceIds } } } : {}),
    select: { id: true, usageRetentionDays: true },
    orderBy: { id: "asc" },
  });
  for (const w of workspaces) {
    const cutoff = new Date(now.getTime() - w.usageRetentionDays * DAY_MS).toISOString().replace("Z", "");
    for (const table of CALL_TABLES) {
      const t = Prisma.raw(`"${table}"`);
      for (;;) {
        if (budget-- <= 0) return out;
        const n = await db.$executeRaw`DELETE FROM ${t} WHERE "id" IN (
          SELECT "id" FROM ${t} WHERE "workspaceId" = ${w.id} AND "createdAt" < ${cutoff}::timestamp(3) LIMIT ${batchSize})`;
        out[table] += n;
        if (n < batchSize) break;
      }
    }
  }
  if (out.ConnectorCall + out.McpCall) logger.info("call records pruned", out);
  return out;
}
