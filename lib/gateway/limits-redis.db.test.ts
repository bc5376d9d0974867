import crypto from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisLimits } from "./limits";

// The shared-store variant of the limits, against a real Redis (REDIS_TEST_URL, default the local one).
// Skipped when no Redis answers.
const url = process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379";
let redis: Redis | null = null;

beforeAll(async () => {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on("error", () => {});
  try {
    await r.connect();
    await r.ping();
    redis = r;
  } catch {
    r.disconnect();
  }
});
afterAll(() => redis?.disconnect());

const prefix = () => `sbtest:${crypto.randomBytes(4).toString("hex")}:`;
const now = Date.UTC(2026, 10, 22, 3, 30, 15);

describe("limits (Redis)", () => {
  it("50 concurrent reserves against a budget never overspend, seeded from recorded spend", async (ctx) => {
    if (!redis) return ctx.skip();
    const l = new RedisLimits(redis, async () => 0.25, prefix());
    const results = await Promise.all(Array.from({ length: 50 }, () => l.reserve("b", { monthlyBudgetUsd: 1 }, 10, 0.1, now)));
    expect(results.filter((r) => r.ok).length).toBe(7);
    expect(results.find((r) => !r.ok)).toMatchObject({ limit: "budget" });
  });

  it("a budget added mid-month raises the counter to the recorded spend, never adds it twice or skips it", async (ctx) => {
    if (!redis) return ctx.skip();
    const p = prefix();
    // $0.30 counted before the key had a budget (the counter exists), and $0.50 recorded this month in all.
    const before = new RedisLimits(redis, null, p);
    for (let i = 0; i < 3; i++) await before.reserve("m", { rpm: 100 }, 1, 0.1, now);
    const l = new RedisLimits(redis, async () => 0.5, p);
    expect((await l.reserve("m", { monthlyBudgetUsd: 1 }, 1, 0.4, now)).ok).toBe(true);
    expect(await l.reserve("m", { monthlyBudgetUsd: 1 }, 1, 0.2, now)).toMatchObject({ ok: false, limit: "budget" });
    // A second instance seeding the same month does not add the recorded spend again.
    const other = new RedisLimits(redis, async () => 0.5, p);
    expect(await other.reserve("m", { monthlyBudgetUsd: 1 }, 1, 0.05, now)).toMatchObject({ ok: true });
  });

  it("holds spend past 2^53 units ($90M, where Lua's doubles round) exactly, and counts sub-micro-dollar calls", async (ctx) => {
    if (!redis) return ctx.skip();
    const p = prefix();
    const l = new RedisLimits(redis, async () => "99999999.99999998", p);
    const budget = { monthlyBudgetUsd: 100_000_000 };
    expect((await l.reserve("big", budget, 1, "0.00000001", now)).ok).toBe(true);
    const spendKey = (await redis.keys(`${p}big:u:*`))[0];
    expect(await redis.get(spendKey)).toBe("9999999999999999");
    expect((await l.reserve("big", budget, 1, "0.00000001", now)).ok).toBe(true);
    expect(await l.reserve("big", budget, 1, "0.00000001", now)).toMatchObject({ ok: false, limit: "budget" });

    // $0.00000045 a call against $0.00001: 22 calls fit (9.9 micro-dollars), the 23rd does not.
    const tiny = new RedisLimits(redis, async () => "0", p);
    const results = [];
    for (let i = 0; i < 30; i++) results.push((await tiny.reserve("tiny", { monthlyBudgetUsd: 0.00001 }, 5, "0.00000045", now)).ok);
    expect(results.indexOf(false)).toBe(22);
    expect(results.filter(Boolean)).toHaveLength(22);
  });

  it("RPM refuses past the limit; reconcile gives back the unused hold", async (ctx) => {
    if (!redis) return ctx.skip();
    const l = new RedisLimits(redis, null, prefix());
    const a = await l.reserve("k", { rpm: 2, tpm: 1000 }, 900, 0, now);
    expect(a.ok).toBe(true);
    expect(await l.reserve("k", { rpm: 2, tpm: 1000 }, 200, 0, now)).toMatchObject({ ok: false, limit: "tpm" });
    if (a.ok) await l.reconcile(a.reservation, 100, 0, now);
    expect((await l.reserve("k", { rpm: 2, tpm: 1000 }, 200, 0, now)).ok).toBe(true);
    expect(await l.reserve("k", { rpm: 2, tpm: 1000 }, 1, 0, now)).toMatchObject({ ok: false, limit: "rpm", retryAfterSeconds: 45 });
  });
});
