import { db } from "../db/client";
import { logger } from "../log";
import { now } from "../runtime/clock";

// The ingress's writes: each request's event row, and for a verified event with a sender event id its dedupe
// record, in ONE statement (WITH dedupe AS (INSERT ... ON CONFLICT DO NOTHING RETURNING) INSERT event ...), so
// of two copies of an event arriving at once exactly one wins, whatever the database. Requests that arrive while
// a write is in flight are written together by the next one (group commit): the embedded database has one
// connection, so at 1,000 requests/s one statement per batch instead of one per request keeps it ahead.
// A write that fails fails its requests (the senders get 503 and retry): nothing is answered 202 unwritten.

export interface EventInsert {
  id: string;
  workspaceId: string;
  endpointId: string;
  receivedAt: Date;
  externalId: string | null;
  verified: boolean;
  reason: string | null;
  /** Dedupe by externalId (verified events with an id). */
  dedupe: boolean;
  /** Answered status when not a duplicate (a duplicate is 200). */
  responseStatus: number;
  latencyMs: number;
  contentType: string;
  sizeBytes: number;
  body: Buffer | null;
  payload: unknown;
  headers: Record<string, string>;
  /** Handed on (verified and accepted): the target; null: logged only. */
  targetType: "worker" | "workflow" | null;
  targetId: string | null;
  /** The target forwards to a delivery URL: nextAttemptAt = now. */
  pushes: boolean;
}

export interface Written {
  duplicate: boolean;
}

const MAX_BATCH = 500;
/** A statement's parameters stay well below V8's string limit: big bodies go in smaller batches. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/**
 * Back-pressure: when the database stalls, requests wait here holding their bodies. Past these bounds new ones
 * are refused at once (503, the sender retries) instead of piling up until the process runs out of memory.
 */
const MAX_QUEUED = 20_000;
const MAX_QUEUED_BYTES = 128 * 1024 * 1024;
/** What a pending row holds in memory, roughly: the body, its parsed and redacted copies, the headers. */
const rowBytes = (r: EventInsert) => (r.body?.length ?? 0) * 3 + 2048;

const ts = (d: Date) => d.toISOString().slice(0, 23).replace("T", " ");

const SQL = `WITH i AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::boolean[], $9::int[],
    $10::int[], $11::text[], $12::int[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::boolean[])
    AS t(id, "workspaceId", "endpointId", "receivedAt", "externalId", verified, reason, dedupe, "responseStatus",
      "latencyMs", "contentType", "sizeBytes", body, payload, headers, "targetType", "targetId", pushes)
), d AS (
  INSERT INTO "WebhookDedupe" ("endpointId", "externalId", "eventId", "createdAt")
  SELECT "endpointId", "externalId", id, "receivedAt"::timestamp(3) FROM i WHERE dedupe AND "externalId" IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING "eventId"
), r AS (
  SELECT i.*, (i.dedupe AND i."externalId" IS NOT NULL AND d."eventId" IS NULL) AS dup FROM i LEFT JOIN d ON d."eventId" = i.id
)
INSERT INTO "WebhookEvent" ("id", "workspaceId", "endpointId", "receivedAt", "externalId", "verified", "reason", "duplicate",
  "responseStatus", "latencyMs", "contentType", "sizeBytes", "body", "payload", "headers", "targetType", "targetId",
  "deliveryStatus", "visibleAt", "nextAttemptAt")
SELECT id, "workspaceId", "endpointId", "receivedAt"::timestamp(3), "externalId", verified, reason, dup,
  CASE WHEN dup THEN 200 ELSE "responseStatus" END, "latencyMs", "contentType", "sizeBytes",
  decode(body, 'base64'), payload::jsonb, headers::jsonb,
  CASE WHEN dup THEN NULL ELSE "targetType" END, CASE WHEN dup THEN NULL ELSE "targetId" END,
  CASE WHEN dup OR "targetId" IS NULL THEN 'none' ELSE 'queued' END,
  CASE WHEN dup OR "targetId" IS NULL THEN NULL ELSE "receivedAt"::timestamp(3) END,
  CASE WHEN dup OR "targetId" IS NULL OR NOT pushes THEN NULL ELSE "receivedAt"::timestamp(3) END
FROM r
RETURNING id, duplicate`;

// PostgreSQL's jsonb refuses NUL (\u0000) and unpaired surrogates; the log's copy replaces them (the raw body keeps them).
const UNSTORABLE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function storable(v: unknown): unknown {
  if (typeof v === "string") return v.replace(/\0/g, "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
  if (Array.isArray(v)) return v.map(storable);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [storable(k) as string, storable(x)]));
  return v;
}
function payloadText(payload: unknown): string | null {
  if (payload === undefined || payload === null) return null;
  const text = JSON.stringify(payload);
  return UNSTORABLE.test(text) ? JSON.stringify(storable(payload)) : text;
}

async function insert(rows: EventInsert[]): Promise<Map<string, boolean>> {
  const col = <T>(f: (r: EventInsert) => T) => rows.map(f);
  const returned = await db.$queryRawUnsafe<{ id: string; duplicate: boolean }[]>(
    SQL,
    col((r) => r.id),
    col((r) => r.workspaceId),
    col((r) => r.endpointId),
    col((r) => ts(r.receivedAt)),
    col((r) => r.externalId),
    col((r) => r.verified),
    col((r) => r.reason),
    col((r) => r.dedupe),
    col((r) => r.responseStatus),
    // Up to the write: verification and the wait for this batch.
    col((r) => Math.max(r.latencyMs, now() - r.receivedAt.getTime())),
    col((r) => r.contentType),
    col((r) => r.sizeBytes),
    col((r) => (r.body ? r.body.toString("base64") : null)),
    col((r) => payloadText(r.payload)),
    col((r) => JSON.stringify(r.headers)),
    col((r) => r.targetType),
    col((r) => r.targetId),
    col((r) => r.pushes),
  );
  return new Map(returned.map((r) => [r.id, r.duplicate]));
}

interface Pending {
  row: EventInsert;
  resolve: (w: Written) => void;
  reject: (e: unknown) => void;
}

// At most one write starts per MIN_INTERVAL_MS: an idle writer writes a request's event at once, a busy one
// gathers what arrives meanwhile. Each statement costs about a millisecond of the embedded database's CPU whatever
// its size, each row a tenth of that, so at 1,000 requests/s batches of ~10 rows keep the database well under a
// core, for at most 10 ms of added latency.
const MIN_INTERVAL_MS = 10;

let queue: Pending[] = [];
let queuedBytes = 0;
let writing = false;
let timer: NodeJS.Timeout | null = null;
let lastStart = 0;
/** Statements and rows written by this process (the benchmark prints rows per statement). */
export const writerStats = { statements: 0, rows: 0 };

async function drain() {
  timer = null;
  writing = true;
  try {
    while (queue.length) {
      const wait = lastStart + MIN_INTERVAL_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastStart = performance.now();
      let n = 0;
      let bytes = 0;
      while (n < queue.length && n < MAX_BATCH && (n === 0 || bytes + rowBytes(queue[n].row) <= MAX_BATCH_BYTES))
        bytes += rowBytes(queue[n++].row);
      const batch = queue.slice(0, n);
      queue = queue.slice(n);
      queuedBytes -= bytes;
      writerStats.statements++;
      writerStats.rows += batch.length;
      await writeBatch(batch);
    }
  } finally {
    writing = false;
  }
}

async function writeBatch(batch: Pending[]) {
  try {
    const dup = await insert(batch.map((p) => p.row));
    for (const p of batch) {
      const d = dup.get(p.row.id);
      if (d === undefined) p.reject(new Error("webhook event was not written"));
      else p.resolve({ duplicate: d });
    }
  } catch (e) {
    if (batch.length > 1) {
      // One row the database refuses must not fail the others: write them one by one.
      for (const p of batch) await writeBatch([p]);
      return;
    }
    logger.error("webhook event write failed", { error: e });
    batch[0].reject(e);
  }
}

/** The writer holds as much as it may: the database is not keeping up. */
export class WriterFullError extends Error {
  constructor() {
    super("Too many webhook events are waiting to be written");
  }
}

/** Writes an event (and its dedupe record); resolves once committed, telling whether it was a duplicate. */
export function writeEvent(row: EventInsert): Promise<Written> {
  return new Promise((resolve, reject) => {
    const size = rowBytes(row);
    if (queue.length >= MAX_QUEUED || queuedBytes + size > MAX_QUEUED_BYTES) {
      reject(new WriterFullError());
      return;
    }
    queuedBytes += size;
    queue.push({ row, resolve, reject });
    if (writing || timer) return;
    const wait = lastStart + MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) void drain();
    else timer = setTimeout(() => void drain(), wait);
  });
}
