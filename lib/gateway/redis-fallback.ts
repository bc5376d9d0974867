import crypto from "node:crypto";
import os from "node:os";
import type Redis from "ioredis";
import { logger } from "../log";
import { MemoryLimits, RedisLimits, type SpendSeed } from "./limits";
import type { KeyLimits, LimitDecision, LimitsStore, Reservation, Usd } from "./types";
import { now as clockNow } from "../runtime/clock";

// Limits shared through Redis, and what a Redis outage means for each of them. Redis is asked only while it is
// known to answer; a command that fails or takes longer than `timeoutMs` (ioredis' commandTimeout; no offline
// queue, no retries) marks it down at once, and every call then decides on this instance's own counters:
// - RPM and TPM: counted here, each divided by the number of live instances last seen through Redis (each
//   instance beats every 5 s). An instance that never reached Redis does not know that number and counts as
//   if it were alone: during a cold-start outage each instance admits up to the full RPM/TPM.
// - a blocking budget: held here from the month's recorded spend (read again at the start of each outage),
//   with this instance's share of the headroom left then. When the spend cannot be read either (the database
//   is down too, and the key was not seeded yet) the call cannot be decided: SpendUnknown, answered 503.
// - a hold taken in Redis and settled while Redis is down stays held there (an over-count, never an under-count).
// The outage is logged once, shown by /api/health, and ends when Redis answers a probe (every second) or
// reconnects: budgets then seed again from the recorded spend (the larger of counter and records), and a
// changed run id (another Redis, or one restarted empty) is noted in the log.

export interface RedisLimitsHealth {
  ok: boolean;
  state: "ready" | "degraded";
  /** When the current state began (ISO). */
  since: string;
  /** Live instances sharing the limits, as last seen; null until Redis answered once. */
  instances: number | null;
  error?: string;
}

const BEAT_MS = 5_000;
const PROBE_MS = 1_000;

// KEYS: instances zset. ARGV: instance id, now (ms), stale before (ms). Returns the live instances.
const BEAT_LUA = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('PEXPIRE', KEYS[1], 60000)
return redis.call('ZCARD', KEYS[1])`;

type Tagged = Reservation & { local?: true };

export class FallbackLimits implements LimitsStore {
  private up = false;
  private since = Date.now();
  private error: string | undefined = "connecting";
  private outageLogged = false;
  private instances: number | null = null;
  private runId: string | null = null;
  private probe: NodeJS.Timeout | null = null;
  private beat: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private readonly primary: RedisLimits;
  readonly local: MemoryLimits;
  private readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;

  constructor(
    private redis: Redis,
    seed: SpendSeed | null,
    private prefix = "sb:lim:",
  ) {
    redis.defineCommand("sbBeat", { numberOfKeys: 1, lua: BEAT_LUA });
    this.primary = new RedisLimits(redis, seed, prefix);
    this.local = new MemoryLimits(seed);
    redis.on("ready", () => void this.check());
    redis.on("error", (e: Error) => this.down(e));
    redis.on("close", () => this.down(new Error("connection closed")));
    if (redis.status === "ready") void this.check();
    this.startProbe();
  }

  health(): RedisLimitsHealth {
    return {
      ok: this.up,
      state: this.up ? "ready" : "degraded",
      since: new Date(this.since).toISOString(),
      instances: this.instances,
      ...(this.up ? {} : { error: this.error }),
    };
  }

  async reserve(keyId: string, limits: KeyLimits, estTokens: number, estCostUsd: Usd, now = clockNow()): Promise<LimitDecision> {
    if (this.up) {
      try {
        return await this.primary.reserve(keyId, limits, estTokens, estCostUsd, now);
      } catch (e) {
        if ((e as Error).name === "SpendUnknown") throw e;
        this.down(e);
      }
    }
    const d = await this.local.reserve(keyId, limits, estTokens, estCostUsd, now, this.instances ?? 1);
    if (d.ok) (d.reservation as Tagged).local = true;
    return d;
  }

  async reconcile(r: Reservation, actualTokens: number, actualCostUsd: Usd, now = clockNow()): Promise<void> {
    if ((r as Tagged).local) return this.local.reconcile(r, actualTokens, actualCostUsd, now);
    if (!this.up) return;
    try {
      await this.primary.reconcile(r, actualTokens, actualCostUsd, now);
    } catch (e) {
      this.down(e);
    }
  }

  close() {
    if (this.probe) clearInterval(this.probe);
    if (this.beat) clearInterval(this.beat);
    this.probe = this.beat = null;
    this.redis.disconnect();
  }

  private down(e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    if (!this.up) {
      this.error = message;
      if (!this.outageLogged && message !== "connecting") this.logOutage(message);
      return;
    }
    this.up = false;
    this.since = Date.now();
    this.error = message;
    // Budgets held here start again from the recorded spend: what an earlier outage counted here may be stale.
    this.local.forgetSeeds();
    this.logOutage(message);
  }

  private logOutage(message: string) {
    this.outageLogged = true;
    logger.warn("redis unavailable: limits and budgets fall back to this instance's own counters", {
      error: message,
      instances: this.instances ?? "unknown (counted as 1)",
    });
  }

  private startProbe() {
    this.probe ??= setInterval(() => {
      if (!this.up && this.redis.status === "ready") void this.check();
    }, PROBE_MS);
    this.probe.unref?.();
  }

  /** Up again once Redis answers: note its run id, count the instances, then share the counters again. */
  private check(): Promise<void> {
    this.checking ??= (async () => {
      try {
        const info = await this.redis.info("server");
        const runId = /run_id:(\w+)/.exec(info)?.[1] ?? null;
        if (this.runId && runId && runId !== this.runId)
          logger.warn("redis run id changed: budget counters are seeded again from recorded spend", { before: this.runId, after: runId });
        this.runId = runId;
        await this.heartbeat();
        // Every budget seeds again (the larger of its counter and the records): spend held here during the
        // outage, or lost by a Redis that restarted empty, is counted again once recorded.
        this.primary.forgetSeeds();
        if (!this.up) {
          if (this.outageLogged)
            logger.info("redis answers again: limits and budgets are shared through it", {
              downSeconds: Math.round((Date.now() - this.since) / 1000),
            });
          this.up = true;
          this.since = Date.now();
          this.error = undefined;
          this.outageLogged = false;
        }
        this.beat ??= setInterval(() => void this.heartbeat().catch((e) => this.down(e)), BEAT_MS);
        this.beat.unref?.();
      } catch (e) {
        this.down(e);
      } finally {
        this.checking = null;
      }
    })();
    return this.checking;
  }

  private async heartbeat() {
    const now = Date.now();
    const n = await (this.redis as Redis & { sbBeat(k: string, ...a: (string | number)[]): Promise<number> }).sbBeat(
      `${this.prefix}instances`,
      this.id,
      now,
      now - 3 * BEAT_MS,
    );
    this.instances = Number(n);
  }
}

/**
 * Connects to Redis for the limits. Fail fast rather than queue or retry: a command Redis does not answer within
 * `timeoutMs` decides on this instance's counters instead; reconnection goes on in the background.
 */
export async function openRedisLimits(
  url: string,
  seed: SpendSeed | null,
  opts: { timeoutMs: number; prefix?: string },
): Promise<FallbackLimits> {
  const { default: IORedis } = await import("ioredis");
  const redis = new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: opts.timeoutMs,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  return new FallbackLimits(redis, seed, opts.prefix);
}
