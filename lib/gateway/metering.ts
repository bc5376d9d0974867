import { Prisma } from "../db/generated/client";
import { writeUsageBatch } from "../usage/write-batch";
import { usageJournal } from "../usage/journal";
import { queueBudgetCheck } from "../budgets/watch";
import { processSingleton } from "../db/global";
import { logger } from "../log";
import { pickPriceAt } from "../models/price-at";
import { cleanOptional, cleanText } from "../usage/clean-text";
import type { AttemptTrace, TokenUsage, UsageEvent, UsageSink } from "./types";

// Usage records are written off the request path: events queue in memory and one createMany per second
// writes them (and once more at shutdown). The queue is bounded: past MAX_PENDING events are dropped and
// counted in the log rather than letting memory grow without end when the database is down. Rows the database
// refuses for their data are set aside as dead letters (usage/write-batch.ts); only transient failures keep a
// batch queued for the next second, so nothing can hold the queue up for good.

/** A price row with amounts in micro-dollars per million tokens (prices have six decimal places). */
export interface MicroPrice {
  effectiveFrom: Date;
  input: bigint;
  output: bigint;
  cached: bigint | null;
}

export const toMicroPrice = (p: {
  effectiveFrom: Date;
  inputPerMillion: { toFixed(dp: number): string };
  outputPerMillion: { toFixed(dp: number): string };
  cachedInputPerMillion: { toFixed(dp: number): string } | null;
}): MicroPrice => ({
  effectiveFrom: p.effectiveFrom,
  input: BigInt(p.inputPerMillion.toFixed(6).replace(".", "")),
  output: BigInt(p.outputPerMillion.toFixed(6).replace(".", "")),
  cached: p.cachedInputPerMillion ? BigInt(p.cachedInputPerMillion.toFixed(6).replace(".", "")) : null,
});

/**
 * Cost of `usage` at the price in force at `at`, as a decimal string with 8 places (the column's scale),
 * rounded half up. Exact: tokens x micro-dollars per million is an integer number of 1e-12 dollars.
 */
export function costOf(usage: TokenUsage, prices: readonly MicroPrice[], at: Date): string {
  const p = pickPriceAt(prices, at);
  if (!p) return "0.00000000";
  const cached = BigInt(Math.min(usage.cachedTokens, usage.inputTokens));
  const uncached = BigInt(usage.inputTokens) - cached;
  const pico =
    uncached * p.input +
    cached * (p.cached ?? p.input) +
    BigInt(usage.outputTokens) * p.output +
    BigInt(usage.cacheWriteTokens ?? 0) * p.input;
  // pico-dollars -> 8 decimal places: divide by 1e4 with half-up rounding.
  const units = (pico + 5_000n) / 10_000n;
  const s = units.toString().padStart(9, "0");
  return `${s.slice(0, -8)}.${s.slice(-8)}`;
}

const MAX_PENDING = 50_000;
// On the embedded database a write runs on the event loop's thread (PGlite is WebAssembly in this process), so
// a batch is kept small enough (a few milliseconds) not to hold requests up, and the loop yields between batches.
const BATCH = 250;
const yieldToRequests = () => new Promise<void>((r) => setImmediate(r));

type Row = Prisma.UsageRecordCreateManyInput;

/** Longest stored user or agent id (what the gateway keeps of a longer `user`, X-User-Id or X-Agent-Id). */
export const ATTRIBUTION_MAX = 256;
const NAME_MAX = 256;
const CODE_MAX = 128;
const MESSAGE_MAX = 2000;

const cleanAttempt = (a: AttemptTrace): AttemptTrace => ({
  ...a,
  targetName: cleanText(a.targetName, NAME_MAX),
  upstreamModel: cleanText(a.upstreamModel, NAME_MAX),
  error: cleanOptional(a.error, MESSAGE_MAX),
});

// Text from the caller (user, agent, the model asked for) and from upstreams (error codes and messages) is cleaned
// here, where it enters the record: one NUL must not make the database refuse the whole batch (usage/clean-text.ts).
export function toRow(e: UsageEvent): Row {
  return {
    requestId: e.requestId,
    at: e.at,
    workspaceId: e.workspaceId,
    virtualKeyId: e.virtualKeyId,
    userId: cleanOptional(e.userId, ATTRIBUTION_MAX),
    agentId: cleanOptional(e.agentId, ATTRIBUTION_MAX),
    model: cleanText(e.model, NAME_MAX),
    modelId: e.modelId,
    platformId: e.platformId,
    deploymentId: e.deploymentId,
    upstreamModel: cleanOptional(e.upstreamModel, NAME_MAX),
    endpoint: e.endpoint,
    status: e.status,
    outcome: e.outcome,
    errorCode: cleanOptional(e.errorCode, CODE_MAX),
    attempts: e.attempts.map(cleanAttempt) as unknown as Prisma.InputJsonValue,
    inputTokens: e.usage.inputTokens,
    outputTokens: e.usage.outputTokens,
    cachedTokens: e.usage.cachedTokens,
    estimated: e.estimated,
    costUsd: e.costUsd.toFixed(8),
    latencyMs: Math.round(e.latencyMs),
    ttftMs: e.ttftMs === null ? null : Math.round(e.ttftMs),
    streamed: e.streamed,
  };
}

export class BufferedUsageSink implements UsageSink {
  private queue: Row[] = [];
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private write: (rows: Row[]) => Promise<unknown> = writeUsageBatch,
    private maxPending = MAX_PENDING,
  ) {}

  get pending() {
    return this.queue.length;
  }

  record(event: UsageEvent): void {
    try {
      if (this.queue.length >= this.maxPending) {
        if (this.dropped++ % 1000 === 0)
          logger.error("usage queue full: dropping usage records", { dropped: this.dropped, pending: this.queue.length });
        return;
      }
      const row = toRow(event);
      this.queue.push(row);
      // Journaled before the answer completes (the handler holds its end until this returns): lib/usage/journal.ts.
      usageJournal()?.append(row);
    } catch (e) {
      logger.error("usage event could not be queued", { requestId: event.requestId, error: e });
    }
  }

  flush(): Promise<void> {
    // One flush at a time; a caller arriving during one waits for it and then writes what came after.
    const run = async (): Promise<void> => {
      while (this.queue.length) {
        const batch = this.queue.slice(0, BATCH);
        try {
          await this.write(batch);
          usageJournal()?.committed(batch);
          this.queue.splice(0, batch.length);
          if (this.queue.length) await yieldToRequests();
        } catch (e) {
          logger.error("usage records could not be written; will retry", { count: batch.length, error: e });
          return;
        }
      }
    };
    const prev = this.flushing ?? Promise.resolve();
    const next = prev.then(run);
    this.flushing = next.finally(() => {
      if (this.flushing === next) this.flushing = null;
    });
    return next;
  }
}

interface Metering {
  sink: BufferedUsageSink;
  timer: NodeJS.Timeout | null;
}

/** Writes a batch (refused rows become dead letters), then queues a budget check of the workspaces it touched (off the request path). */
export async function writeAndWatchBudgets(rows: Row[]) {
  const inserted = await writeUsageBatch(rows);
  queueBudgetCheck(new Set(inserted.map((r) => r.workspaceId)));
  return inserted;
}

const metering = () =>
  processSingleton<Metering>("gatewayMetering", () => ({ sink: new BufferedUsageSink(writeAndWatchBudgets), timer: null }));

/** The process's usage sink; starts the one-second flush loop on first use. */
export function usageSink(): BufferedUsageSink {
  const m = metering();
  if (!m.timer) {
    m.timer = setInterval(() => void m.sink.flush(), 1_000);
    m.timer.unref();
  }
  return m.sink;
}

/** Stops the loop and writes everything still queued (the server's stop handler awaits this). */
export async function stopMetering(): Promise<void> {
  const m = metering();
  if (m.timer) clearInterval(m.timer);
  m.timer = null;
  await m.sink.flush();
}
