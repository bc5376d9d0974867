import crypto from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateRedis, type PrivateRedis } from "../testing/redis-server";
import { RedisLimits, toUnits } from "./limits";
import { openRedisLimits, type FallbackLimits } from "./redis-fallback";
import type { KeyLimits } from "./types";

// The limits across Redis outages, against a private redis-server this file starts, kills and restarts.
const TIMEOUT_MS = 50;
let server: PrivateRedis | null = null;
beforeAll(async () => {
  server = await privateRedis();
});
afterAll(() => server?.stop());

const until = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};
const prefix = () => `sbtest:${crypto.randomBytes(4).toString("hex")}:`;

/** A ledger standing in for UsageRecord: what calls really spent, which seeds the budgets. */
function ledger() {
  let units = 0n;
  return {
    seed: async () => (Number(units) / 1e8).toFixed(8),
    add: (usd: string) => (units += toUnits(usd)),
    get units() {
      return units;
    },
  };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
}

describe("limits across a Redis outage", () => {
  let store: FallbackLimits;
  afterAll(() => store?.close());

  it("decides within the timeout on local counters while Redis is down, reports it, and returns to Redis", async (ctx) => {
    if (!server) return ctx.skip();
    const book = ledger();
    store = await openRedisLimits(server.url, book.seed, { timeoutMs: TIMEOUT_MS, prefix: prefix() });
    await until(() => store.health().ok);
    expect(store.health()).toMatchObject({ state: "ready", instances: 1 });
    const limits: KeyLimits = { rpm: 1000, monthlyBudgetUsd: 1 };
    const a = await store.reserve("k", limits, 10, "0.1");
    expect(a.ok && (a.reservation as { local?: boolean }).local).toBeFalsy();

    await server.stop();
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [d, ms] = await timed(() => store.reserve("k", limits, 10, "0.01"));
      expect(d.ok).toBe(true);
      latencies.push(ms);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(Math.max(...latencies)).toBeLessThan(TIMEOUT_MS + 50);
    expect(store.health()).toMatchObject({ ok: false, state: "degraded" });

    await server.start();
    await until(() => store.health().ok, 5_000);
    const b = await store.reserve("k", limits, 10, "0.01");
    expect(b.ok && (b.reservation as { local?: boolean }).local).toBeFalsy();
  });

  it("a Redis that hangs (connection open, no answers) costs one call the timeout, then none", async (ctx) => {
    if (!server) return ctx.skip();
    const s = await openRedisLimits(server.url, null, { timeoutMs: TIMEOUT_MS, prefix: prefix() });
    try {
      await until(() => s.health().ok);
      server.freeze(true);
      const latencies: number[] = [];
      for (let i = 0; i < 10; i++) {
        const [d, ms] = await timed(() => s.reserve("h", { rpm: 100 }, 1, 0));
        expect(d.ok).toBe(true);
        latencies.push(ms);
      }
      expect(latencies[0]).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(Math.max(...latencies)).toBeLessThan(TIMEOUT_MS + 50);
      expect(Math.max(...latencies.slice(1))).toBeLessThan(10);
      expect(s.health()).toMatchObject({ state: "degraded", error: "Command timed out" });
      server.freeze(false);
      await until(() => s.health().ok, 5_000);
    } finally {
      server.freeze(false);
      s.close();
    }
  });

  it("a blocking budget is not exceeded across a Redis restart that loses its data", async (ctx) => {
    if (!server) return ctx.skip();
    const book = ledger();
    const s = await openRedisLimits(server.url, book.seed, { timeoutMs: TIMEOUT_MS, prefix: prefix() });
    try {
      await until(() => s.health().ok);
      // $0.0001 at $0.00002 a call: 5 calls fit.
      const spendUntilRefused = async () => {
        let ok = 0;
        for (let i = 0; i < 10; i++) {
          const d = await s.reserve("b", { monthlyBudgetUsd: 0.0001 }, 1, "0.00002");
          if (!d.ok) break;
          ok++;
          book.add("0.00002");
          await s.reconcile(d.reservation, 1, "0.00002");
        }
        return ok;
      };
      expect(await spendUntilRefused()).toBe(5);
      await server.stop();
      await until(() => !s.health().ok);
      // While Redis is down the local hold starts from the recorded spend: nothing more fits.
      expect(await spendUntilRefused()).toBe(0);
      await server.start();
      await until(() => s.health().ok, 5_000);
      expect(await spendUntilRefused()).toBe(0);
      expect(book.units).toBe(toUnits("0.0001"));
    } finally {
      s.close();
    }
  });

  it("a counter Redis lost is seeded again from recorded spend, even without a reconnect (FLUSHALL)", async (ctx) => {
    if (!server) return ctx.skip();
    const redis = new Redis(server.url, { maxRetriesPerRequest: 0 });
    try {
      let recorded = "0.00008";
      const l = new RedisLimits(redis, async () => recorded, prefix());
      expect((await l.reserve("f", { monthlyBudgetUsd: 0.0001 }, 1, "0.00002")).ok).toBe(true);
      recorded = "0.0001"; // the call is in the records
      await redis.flushall();
      expect(await l.reserve("f", { monthlyBudgetUsd: 0.0001 }, 1, "0.00002")).toMatchObject({ ok: false, limit: "budget" });
    } finally {
      redis.disconnect();
    }
  });

  it("with the database down too, a counter Redis kept still decides after a reconnect; one it lost is undecided", async (ctx) => {
    if (!server) return ctx.skip();
    const redis = new Redis(server.url, { maxRetriesPerRequest: 0 });
    try {
      let dbUp = true;
      const l = new RedisLimits(redis, async () => (dbUp ? "0.00002" : Promise.reject(new Error("database down"))), prefix());
      expect((await l.reserve("d", { monthlyBudgetUsd: 0.0001 }, 1, "0.00002")).ok).toBe(true);
      dbUp = false;
      l.forgetSeeds(); // as on a reconnect
      expect((await l.reserve("d", { monthlyBudgetUsd: 0.0001 }, 1, "0.00002")).ok).toBe(true);
      expect((await l.reserve("d", { monthlyBudgetUsd: 0.0001 }, 1, "0.00005")).ok).toBe(false); // 0.00006 held + 0.00005
      await redis.flushall();
      await expect(l.reserve("d", { monthlyBudgetUsd: 0.0001 }, 1, "0.00002")).rejects.toMatchObject({ name: "SpendUnknown" });
    } finally {
      redis.disconnect();
    }
  });

  it("started with Redis unreachable, it decides locally at once; a budget whose spend cannot be read is undecided", async () => {
    const s = await openRedisLimits("redis://127.0.0.1:1", async () => Promise.reject(new Error("database down")), {
      timeoutMs: TIMEOUT_MS,
    });
    try {
      const [d, ms] = await timed(() => s.reserve("x", { rpm: 2 }, 1, 0));
      expect(d.ok).toBe(true);
      expect(ms).toBeLessThan(TIMEOUT_MS);
      await s.reserve("x", { rpm: 2 }, 1, 0);
      expect(await s.reserve("x", { rpm: 2 }, 1, 0)).toMatchObject({ ok: false, limit: "rpm" });
      await expect(s.reserve("y", { monthlyBudgetUsd: 1 }, 1, 0)).rejects.toMatchObject({ name: "SpendUnknown" });
      expect(s.health()).toMatchObject({ ok: false, state: "degraded", instances: null });
    } finally {
      s.close();
    }
  });
});
