import { Prisma } from "../db/generated/client";
import { db } from "../db/client";
import type { Tx } from "../db/types";
import { monthStart } from "../gateway/limits";

// Month-to-date spend from the daily rollups (maintained with every usage batch), so a month costs a few rows.

export interface MonthSpend {
  workspace: Prisma.Decimal;
  keys: Map<string, Prisma.Decimal>;
}

export async function monthSpend(opts: { workspaceId: string; now?: number; tx?: Tx }): Promise<MonthSpend> {
  const from = monthStart(opts.now ?? Date.now());
  const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  const rows = await (opts.tx ?? db).usageRollup.groupBy({
    by: ["dimension", "groupKey"],
    where: {
      granularity: "day",
      workspaceId: opts.workspaceId,
      dimension: { in: ["workspace", "key"] },
      bucket: { gte: from, lt: to },
    },
    _sum: { costUsd: true },
  });
  const out: MonthSpend = { workspace: new Prisma.Decimal(0), keys: new Map() };
  for (const r of rows) {
    const sum = r._sum.costUsd ?? new Prisma.Decimal(0);
    if (r.dimension === "workspace") out.workspace = sum;
    else if (r.groupKey) out.keys.set(r.groupKey, sum);
  }
  return out;
}

/**
 * One workspace's month-to-date spend in USD as an exact decimal string with 8 places (seeds the workspace budget
 * in the gateway's limits store, which counts in the records' own units).
 */
export async function workspaceMonthSpendUsd(workspaceId: string, since: Date): Promise<string> {
  const agg = await db.usageRollup.aggregate({
    where: { granularity: "day", dimension: "workspace", workspaceId, groupKey: workspaceId, bucket: { gte: since } },
    _sum: { costUsd: true },
  });
  return agg._sum.costUsd ? agg._sum.costUsd.toFixed(8) : "0";
}
