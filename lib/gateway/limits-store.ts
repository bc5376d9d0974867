import { db } from "../db/client";
import { processSingleton } from "../db/global";
import { env } from "../env";
import { logger } from "../log";
import { workspaceMonthSpendUsd } from "../budgets/month-spend";
import { MemoryLimits, RedisLimits, type SpendSeed } from "./limits";
import type { LimitsStore } from "./types";

// The process's limits store: in memory on one instance, in Redis when REDIS_URL is set. Either way the
// month's spend starts from what UsageRecord already holds, so a restart does not reset a budget.
export const seedSpendFromUsage: SpendSeed = async (keyId, since) => {
  // A workspace budget's scope (lib/gateway/workspace-budget.ts) starts from the workspace's daily rollups.
  if (keyId.startsWith("ws:")) return workspaceMonthSpendUsd(keyId.slice(3), since);
  const agg = await db.usageRecord.aggregate({ where: { virtualKeyId: keyId, at: { gte: since } }, _sum: { costUsd: true } });
  // All 8 decimal places, as a string: the budget counts in the records' own units (lib/gateway/limits.ts).
  return agg._sum.costUsd ? agg._sum.costUsd.toFixed(8) : "0";
};

interface Slot {
  store: LimitsStore | null;
  pending: Promise<LimitsStore> | null;
  close?: () => void;
}

const slot = () => processSingleton<Slot>("gatewayLimits", () => ({ store: null, pending: null }));

export async function limitsStore(): Promise<LimitsStore> {
  const s = slot();
  if (s.store) return s.store;
  s.pending ??= (async () => {
    if (!env.REDIS_URL) return new MemoryLimits(seedSpendFromUsage);
    const { default: Redis } = await import("ioredis");
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    redis.on("error", (e) => logger.warn("redis error", { error: e }));
    s.close = () => redis.disconnect();
    return new RedisLimits(redis, seedSpendFromUsage);
  })();
  s.store = await s.pending;
  return s.store;
}

export function closeLimitsStore() {
  slot().close?.();
}
