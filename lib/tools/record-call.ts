import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { processSingleton } from "../db/global";
import { isDataError } from "../db/errors";
import { logger } from "../log";
import { cleanOptional, cleanText } from "../usage/clean-text";

// One ConnectorCall row per tool call (a connector's activity tab): who called what and how it went. Never a
// secret, a body or a parameter value: the path is the operation's template. Queued in memory and written in
// batches every second, off the request path, and flushed at shutdown.
// The same batch keeps the connector's status honest: an API that refuses a static credential (401/403) marks the
// connector needs_reauth, a 2xx marks it active again. The caller passes the status it read with the connector, so
// a call that changes nothing costs nothing; a change is one conditional update per connector and batch.

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
  /** The connector's status and auth mode as the call read them (with the connector, no extra query). */
  connectorStatus?: string;
  authMode?: string;
}

/** The modes whose credential cannot renew itself: a refusal means a person must give a new one. */
const STATIC_MODES = new Set(["api-key", "bearer", "basic", "app-token"]);

export interface StatusChange {
  connectorId: string;
  workspaceId: string;
  status: "active" | "needs_reauth";
  reason: string;
  at: Date;
}

/** The status a call's answer gives its connector, when that differs from the status it had. */
export function statusChangeOf(e: ToolCallEvent): StatusChange | null {
  if (e.status === null || e.connectorStatus === undefined) return null;
  const base = { connectorId: e.connectorId, workspaceId: e.workspaceId, at: e.at };
  if ((e.status === 401 || e.status === 403) && STATIC_MODES.has(e.authMode ?? "")) {
    return e.connectorStatus === "needs_reauth"
      ? null
      : { ...base, status: "needs_reauth", reason: `The API refused the credentials (${e.status}) on ${e.operationId}` };
  }
  if (e.status >= 200 && e.status < 300 && e.connectorStatus !== "active")
    return { ...base, status: "active", reason: `HTTP ${e.status} on ${e.operationId}` };
  return null;
}

/** Writes a status change unless the connector already has it or a newer one (a test run since, say). */
const writeStatus = (c: StatusChange) =>
  // registry-neutral: connectors are not in the gateway's routing snapshot.
  db.connector.updateMany({
    where: {
      id: c.connectorId,
      workspaceId: c.workspaceId,
      status: { not: c.status },
      OR: [{ statusAt: null }, { statusAt: { lt: c.at } }],
    },
    data: { status: c.status, statusReason: c.reason, statusAt: c.at },
  });

type Row = Prisma.ConnectorCallCreateManyInput;

/** An answer that says something about the credential: 2xx, or a refusal of a static one. */
const isDecisive = (e: ToolCallEvent) =>
  e.status !== null &&
  ((e.status >= 200 && e.status < 300) || ((e.status === 401 || e.status === 403) && STATIC_MODES.has(e.authMode ?? "")));

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
  /** The last status change per connector since the previous flush (later calls win). */
  private statuses = new Map<string, StatusChange>();
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private write: (rows: Row[]) => Promise<unknown> = (rows) => db.connectorCall.createMany({ data: rows }),
    private setStatus: (change: StatusChange) => Promise<unknown> = writeStatus,
  ) {}

  get pending() {
    return this.queue.length;
  }

  record(event: ToolCallEvent) {
    if (this.queue.length >= MAX_PENDING) {
      if (this.dropped++ % 1000 === 0) logger.error("tool call queue full: dropping call records", { dropped: this.dropped });
      return;
    }
    this.queue.push(toRow(event));
    const change = statusChangeOf(event);
    if (change) this.statuses.set(change.connectorId, change);
    // A call that agrees with the connector's status after a queued change cancels it (401, then 200 again).
    else if (event.connectorStatus !== undefined && this.statuses.has(event.connectorId) && isDecisive(event))
      this.statuses.delete(event.connectorId);
  }

  private async writeStatuses() {
    const changes = [...this.statuses.values()];
    this.statuses.clear();
    for (const c of changes)
      await this.setStatus(c).catch((e: unknown) =>
        logger.warn("connector status from a tool call not saved", { connectorId: c.connectorId, error: e }),
      );
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
      if (this.statuses.size) await this.writeStatuses();
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
