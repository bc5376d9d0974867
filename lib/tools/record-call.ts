import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { processSingleton } from "../db/global";
import { isDataError } from "../db/errors";
import { logger } from "../log";
import { cleanOptional, cleanText } from "../usage/clean-text";

// One ConnectorCall row per tool call (a connector's activity tab): who called what and how it went. Never a
// secret, a body or a parameter value: the path is the operation's template. Queued in memory and written in
// batches every second, off the request path, and flushed at shutdown.

export type CallOutcome = "ok" | "upstream_error" | "timeout" | "refused" | "invalid_input" | "failed";

export interface ToolCallEvent {
  at: Date;
  workspaceId: string;
  connectorId: string;
  keyId: string | null;
  endUserId: string | null;
  agent: string | null;
  operationId: string;
  method: string;
  path: string;
  status: number | null;
  outcome: CallOutcome;
  errorCode: string | null;
  latencyMs: number;
}

type Row = Prisma.ConnectorCallCreateManyInput;

const BATCH = 500;
/** Beyond this many queued rows (the database is down for long) new ones are dropped, not held. */
const MAX_PENDING = 50_000;

const toRow = (e: ToolCallEvent): Row => ({
  createdAt: e.at,
  workspaceId: e.workspaceId,
  connectorId: e.connectorId,
  keyId: e.keyId,
  endUserId: cleanOptional(e.endUserId, 256),
  agent: cleanOptional(e.agent, 256),
  operationId: cleanText(e.operationId, 256),
  method: cleanText(e.method, 16),
  path: cleanText(e.path, 2048),
  status: e.status,
  outcome: e.outcome,
  errorCode: cleanOptional(e.errorCode, 64),
  latencyMs: Math.max(0, Math.round(e.latencyMs)),
});

export class ToolCallSink {
  private queue: Row[] = [];
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(private write: (rows: Row[]) => Promise<unknown> = (rows) => db.connectorCall.createMany({ data: rows })) {}

  get pending() {
    return this.queue.length;
  }

  record(event: ToolCallEvent) {
    if (this.queue.length >= MAX_PENDING) {
      if (this.dropped++ % 1000 === 0) logger.error("tool call queue full: dropping call records", { dropped: this.dropped });
      return;
    }
    this.queue.push(toRow(event));
  }

  /** Writes one batch; a batch the database refuses for its data (a connector deleted meanwhile) goes row by row. */
  private async writeBatch(batch: Row[]) {
    try {
      await this.write(batch);
    } catch (e) {
      if (!isDataError(e)) throw e;
      for (const row of batch) {
        await this.write([row]).catch((err: unknown) => {
          if (!isDataError(err)) throw err;
          logger.warn("tool call record refused by the database; dropped", { connectorId: row.connectorId, error: err });
        });
      }
    }
  }

  flush(): Promise<void> {
    const run = async () => {
      while (this.queue.length) {
        const batch = this.queue.slice(0, BATCH);
        try {
          await this.writeBatch(batch);
        } catch (e) {
          logger.error("tool call records could not be written; will retry", { count: batch.length, error: e });
          return;
        }
        this.queue.splice(0, batch.length);
      }
    };
    const next = (this.flushing ?? Promise.resolve()).then(run);
    this.flushing = next.finally(() => {
      if (this.flushing === next) this.flushing = null;
    });
    return next;
  }
}

const holder = () =>
  processSingleton<{ sink: ToolCallSink; timer: NodeJS.Timeout | null }>("toolCalls", () => ({ sink: new ToolCallSink(), timer: null }));

/** The process's call sink; starts its one-second flush loop on first use. */
export function toolCallSink(): ToolCallSink {
  const h = holder();
  if (!h.timer) {
    h.timer = setInterval(() => void h.sink.flush(), 1_000);
    h.timer.unref();
  }
  return h.sink;
}

/** Stops the loop and writes what is queued (at shutdown). */
export async function stopToolCalls(): Promise<void> {
  const h = holder();
  if (h.timer) clearInterval(h.timer);
  h.timer = null;
  await h.sink.flush();
}
