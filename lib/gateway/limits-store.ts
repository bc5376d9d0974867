import { db } from "../db/client";
import { processSingleton } from "../db/global";
import { env } from "../env";
import { workspaceMonthSpendUsd } from "../budgets/month-spend";
import { MemoryLimits, toUnits, type SpendSeed } from "./limits";
import { pendingSpendUnits } from "./metering";
import { fromUnits } from "../usage/write";
import { openRedisLimits, type FallbackLimits, type RedisLimitsHealth } from "./redis-fallback";
import type { LimitsStore } from "./types";

// The process's limits store: in memory on one instance, in Redis when REDIS_URL is set. Either way the
// month's spend starts from what UsageRecord already holds, so a restart does not reset a budget.
export const seedSpendFromUsage: SpendSeed = async (keyId, since) => {
  // A workspace budget's scope (lib/gateway/workspace-budget.ts) starts from the workspace's daily rollups.
  const recorded = keyId.startsWith("ws:")
    ? await workspaceMonthSpendUsd(keyId.slice(3), since)
    : ((
        await db.usageRecord.aggregate({ where: { virtualKeyId: keyId, at: { gte: since } }, _sum: { costUsd: true } })
      )._sum.costUsd?.toFixed(8) ?? "0");
  // Plus what this process answered and has not written yet: a counter seeded during a Redis outage (or after Redis
  // lost its data) would otherwise miss up to a second of calls. All 8 places, as a string: the budget counts in the
  // records' own units (lib/gateway/limits.ts).
  return fromUnits(toUnits(recorded) + pendingSpendUnits(keyId, since));
};

interface Slot {
  store: LimitsStore | null;
  redis?: FallbackLimits;
  pending: Promise<LimitsStore> | null;
  close?: () => void;
}

const slot = () => processSingleton<Slot>("gatewayLimits", () => ({ store: null, pending: null }));

export async function limitsStore(): Promise<LimitsStore> {
  const s = slot();
  if (s.store) return s.store;
  s.pending ??= (async () => {
    if (!env.REDIS_URL) return new MemoryLimits(seedSpendFromUsage);
    const store = await openRedisLimits(env.REDIS_URL, seedSpendFromUsage, { timeoutMs: env.REDIS_TIMEOUT_MS });
    s.redis = store;
    s.close = () => store.close();
    return store;
  })();
  s.store = await s.pending;
  return s.store;
}

/** Redis's part in the health report: null without REDIS_URL. */
export async function redisLimitsHealth(): Promise<RedisLimitsHealth | null> {
  const s = slot();
  if (!s.redis && env.REDIS_URL) await limitsStore();
  return s.redis?.health() ?? null;
}

export function closeLimitsStore() {
  slot().close?.();
}
