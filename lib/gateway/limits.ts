import type Redis from "ioredis";
import type { KeyLimits, LimitDecision, LimitsStore, Reservation, Usd } from "./types";
import { now as clockNow } from "../runtime/clock";

// Per-key RPM, TPM and monthly budget. Reserve counts the request and holds the estimate; reconcile swaps the
// estimate for what the call used. In memory, the check and the hold run with no await between them (one JS
// thread), so concurrent requests cannot both pass on the same headroom; with Redis one Lua script does both.
// Money is held as integer units of 1e-8 USD, the scale every cost is computed and recorded at (costOf,
// UsageRecord.costUsd Decimal(18,8)): a call costing less than a micro-dollar still counts in full, the
// counter equals the sum of the records it is seeded from, and sums never drift. Units are bigints (a budget
// may pass 2^53 units, $90M); in Redis they stay integers (INCRBY, 64 bits: $92 billion).

const UNITS_PER_USD = 100_000_000n;
const USD_DECIMAL = /^(\d+)(?:\.(\d*))?$/;

/** USD to units of 1e-8 USD, exactly for a decimal string (rounded half up past the 8th place). */
export function toUnits(usd: Usd): bigint {
  const s = typeof usd === "number" ? usd.toFixed(8) : usd;
  const m = USD_DECIMAL.exec(s);
  if (!m) throw new RangeError(`Not a USD amount: ${s}`);
  const frac = (m[2] ?? "").padEnd(9, "0");
  const units = BigInt(m[1]) * UNITS_PER_USD + BigInt(frac.slice(0, 8));
  return frac.charCodeAt(8) >= 53 /* "5" */ ? units + 1n : units;
}
export const unitsToUsd = (units: bigint) => Number(units) / 1e8;

const MINUTE = 60_000;

// The month of the last call, with its bounds: every request asks, and it changes once a month.
let monthCache = { from: 0, to: -1, key: "" };
export function monthKey(now: number): string {
  if (now >= monthCache.from && now < monthCache.to) return monthCache.key;
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const key = `${y}-${String(m + 1).padStart(2, "0")}`;
  monthCache = { from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1), key };
  return key;
}
export function monthStart(now: number): Date {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}
function nextMonthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
export const secondsToNextMinute = (now: number) => Math.max(1, Math.ceil((MINUTE - (now % MINUTE)) / 1000));
export const secondsToNextMonth = (now: number) => Math.max(1, Math.ceil((nextMonthStart(now) - now) / 1000));

/** Spend already recorded for a key since the month began (seeds the budget after a restart). */
export type SpendSeed = (keyId: string, since: Date) => Promise<Usd>;

interface KeyWindow {
  minute: number;
  requests: number;
  tokens: number;
  month: string;
  spend: bigint;
  seeding?: Promise<void>;
  seededMonth?: string;
}

function refuse(limit: "rpm" | "tpm" | "budget", now: number, message: string): LimitDecision {
  return { ok: false, limit, retryAfterSeconds: limit === "budget" ? secondsToNextMonth(now) : secondsToNextMinute(now), message };
}

export class MemoryLimits implements LimitsStore {
  private keys = new Map<string, KeyWindow>();
  constructor(private seed: SpendSeed | null = null) {}

  private window(keyId: string, now: number): KeyWindow {
    const minute = Math.floor(now / MINUTE);
    const month = monthKey(now);
    let w = this.keys.get(keyId);
    if (!w) {
      w = { minute, requests: 0, tokens: 0, month, spend: 0n };
      this.keys.set(keyId, w);
    }
    if (w.minute !== minute) {
      w.minute = minute;
      w.requests = 0;
      w.tokens = 0;
    }
    if (w.month !== month) {
      w.month = month;
      w.spend = 0n;
      w.seededMonth = undefined;
    }
    return w;
  }

  private async ensureSeeded(keyId: string, now: number): Promise<void> {
    if (!this.seed) return;
    const w = this.window(keyId, now);
    if (w.seededMonth === w.month) return;
    if (!w.seeding) {
      const month = w.month;
      w.seeding = this.seed(keyId, monthStart(now))
        .then((usd) => {
          // The counter may already hold spend reserved in this process before the key had a budget (RPM/TPM
          // keys are counted too); that spend is also in the records once flushed, so take the larger, never the sum.
          if (w.month === month && w.seededMonth !== month) {
            const recorded = toUnits(usd);
            if (recorded > w.spend) w.spend = recorded;
            w.seededMonth = month;
          }
        })
        .finally(() => {
          w.seeding = undefined;
        });
    }
    await w.seeding;
  }

  async reserve(keyId: string, limits: KeyLimits, estTokens: number, estCostUsd: Usd, now = clockNow()): Promise<LimitDecision> {
    if (limits.monthlyBudgetUsd != null) await this.ensureSeeded(keyId, now);
    // From here to the return nothing awaits: the check and the hold are one step.
    const w = this.window(keyId, now);
    const cost = toUnits(estCostUsd);
    if (limits.rpm != null && w.requests + 1 > limits.rpm)
      return refuse("rpm", now, `Rate limit reached: ${limits.rpm} requests per minute`);
    if (limits.tpm != null && w.tokens + estTokens > limits.tpm)
      return refuse("tpm", now, `Rate limit reached: ${limits.tpm} tokens per minute`);
    if (limits.monthlyBudgetUsd != null && w.spend + cost > toUnits(limits.monthlyBudgetUsd)) {
      return refuse("budget", now, `Monthly budget of ${limits.monthlyBudgetUsd} USD reached`);
    }
    w.requests++;
    w.tokens += estTokens;
    w.spend += cost;
    return { ok: true, reservation: { keyId, tokens: estTokens, cost, at: now } };
  }

  async reconcile(r: Reservation, actualTokens: number, actualCostUsd: Usd, now = clockNow()): Promise<void> {
    const w = this.window(r.keyId, now);
    const at = r.at ?? now;
    if (Math.floor(at / MINUTE) === w.minute) w.tokens = Math.max(0, w.tokens - r.tokens + actualTokens);
    else w.tokens += actualTokens;
    const actual = toUnits(actualCostUsd);
    if (monthKey(at) === w.month) {
      const spend = w.spend - r.cost + actual;
      w.spend = spend > 0n ? spend : 0n;
    } else w.spend += actual;
  }

  /** Current counters of a key (tests and diagnostics). */
  peek(keyId: string, now = clockNow()) {
    const w = this.window(keyId, now);
    return { requests: w.requests, tokens: w.tokens, spendUsd: unitsToUsd(w.spend), spendUnits: w.spend };
  }
}

// Spend counters are compared as decimal strings: Lua numbers are doubles, exact only to 2^53 units ($90M),
// while INCRBY keeps Redis's 64-bit integers exact. `lt(a, b)`: a < b for canonical integer strings.
const LT_LUA = `
local function lt(a, b)
  local na, nb = string.sub(a, 1, 1) == '-', string.sub(b, 1, 1) == '-'
  if na ~= nb then return na end
  if na then a, b = string.sub(b, 2), string.sub(a, 2) end
  if #a ~= #b then return #a < #b end
  return a < b
end`;

// KEYS: requests, tokens, spend. ARGV: rpm, tpm, most spend that leaves room for this call ('' = no budget),
// estTokens, estCost (units), minuteTtl, monthTtl.
const RESERVE_LUA = `${LT_LUA}
local req = tonumber(redis.call('GET', KEYS[1]) or '0')
local tok = tonumber(redis.call('GET', KEYS[2]) or '0')
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
local est = tonumber(ARGV[4])
if rpm >= 0 and req + 1 > rpm then return 'rpm' end
if tpm >= 0 and tok + est > tpm then return 'tpm' end
if ARGV[3] ~= '' and lt(ARGV[3], redis.call('GET', KEYS[3]) or '0') then return 'budget' end
redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('INCRBY', KEYS[2], est); redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('INCRBY', KEYS[3], ARGV[5]); redis.call('EXPIRE', KEYS[3], ARGV[7])
return 'ok'`;

// KEYS: tokens, spend. ARGV: token delta, spend delta (units), minuteTtl, monthTtl, sameMinute (1/0), sameMonth (1/0).
const RECONCILE_LUA = `
if ARGV[5] == '1' then redis.call('INCRBY', KEYS[1], ARGV[1]); redis.call('EXPIRE', KEYS[1], ARGV[3]) end
if ARGV[6] == '1' then redis.call('INCRBY', KEYS[2], ARGV[2]); redis.call('EXPIRE', KEYS[2], ARGV[4]) end
return 1`;

// KEYS: spend. ARGV: recorded spend in units, ttl. Raises the counter to the recorded spend if it is lower.
const SEED_LUA = `${LT_LUA}
local cur = redis.call('GET', KEYS[1])
if not cur or lt(cur, ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1`;

type RedisWithScripts = Redis & {
  sbSeed(k1: string, ...args: (string | number)[]): Promise<number>;
  sbReserve(k1: string, k2: string, k3: string, ...args: (string | number)[]): Promise<string>;
  sbReconcile(k1: string, k2: string, ...args: (string | number)[]): Promise<number>;
};

export class RedisLimits implements LimitsStore {
  private r: RedisWithScripts;
  private seeded = new Set<string>();
  constructor(
    redis: Redis,
    private seed: SpendSeed | null = null,
    private prefix = "sb:lim:",
  ) {
    redis.defineCommand("sbReserve", { numberOfKeys: 3, lua: RESERVE_LUA });
    redis.defineCommand("sbReconcile", { numberOfKeys: 2, lua: RECONCILE_LUA });
    redis.defineCommand("sbSeed", { numberOfKeys: 1, lua: SEED_LUA });
    this.r = redis as RedisWithScripts;
  }

  private keys(keyId: string, now: number) {
    const minute = Math.floor(now / MINUTE);
    // Spend is under `:u:` (units of 1e-8 USD): earlier versions counted micro-dollars under `:s:`, which a
    // new counter ignores and replaces by seeding from the recorded spend.
    return {
      req: `${this.prefix}${keyId}:r:${minute}`,
      tok: `${this.prefix}${keyId}:t:${minute}`,
      spend: `${this.prefix}${keyId}:u:${monthKey(now)}`,
    };
  }

  private async ensureSeeded(keyId: string, spendKey: string, now: number) {
    if (!this.seed || this.seeded.has(spendKey)) return;
    // The counter may already exist (RPM/TPM reservations before the key had a budget, or another instance's
    // seed): raise it to the recorded spend, never add to it, so the sum is neither doubled nor lost.
    const usd = await this.seed(keyId, monthStart(now));
    await this.r.sbSeed(spendKey, toUnits(usd).toString(), secondsToNextMonth(now) + 86_400);
    this.seeded.add(spendKey);
  }

  async reserve(keyId: string, limits: KeyLimits, estTokens: number, estCostUsd: Usd, now = clockNow()): Promise<LimitDecision> {
    const k = this.keys(keyId, now);
    if (limits.monthlyBudgetUsd != null) await this.ensureSeeded(keyId, k.spend, now);
    const cost = toUnits(estCostUsd);
    const verdict = await this.r.sbReserve(
      k.req,
      k.tok,
      k.spend,
      limits.rpm ?? -1,
      limits.tpm ?? -1,
      limits.monthlyBudgetUsd != null ? (toUnits(limits.monthlyBudgetUsd) - cost).toString() : "",
      estTokens,
      cost.toString(),
      120,
      secondsToNextMonth(now) + 86_400,
    );
    if (verdict === "rpm") return refuse("rpm", now, `Rate limit reached: ${limits.rpm} requests per minute`);
    if (verdict === "tpm") return refuse("tpm", now, `Rate limit reached: ${limits.tpm} tokens per minute`);
    if (verdict === "budget") return refuse("budget", now, `Monthly budget of ${limits.monthlyBudgetUsd} USD reached`);
    return { ok: true, reservation: { keyId, tokens: estTokens, cost, at: now } };
  }

  async reconcile(r: Reservation, actualTokens: number, actualCostUsd: Usd, now = clockNow()): Promise<void> {
    const at = r.at ?? now;
    const k = this.keys(r.keyId, at);
    await this.r.sbReconcile(
      k.tok,
      k.spend,
      actualTokens - r.tokens,
      (toUnits(actualCostUsd) - r.cost).toString(),
      120,
      secondsToNextMonth(at) + 86_400,
      Math.floor(at / MINUTE) === Math.floor(now / MINUTE) ? 1 : 0,
      monthKey(at) === monthKey(now) ? 1 : 0,
    );
  }
}
