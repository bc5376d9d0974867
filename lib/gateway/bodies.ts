import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { processSingleton } from "../db/global";
import { logger } from "../log";
import type { GwRequest } from "./handler";
import type { GwResponse } from "./pipeline";

// Request and response bodies of gateway calls, kept only for workspaces that turned storage on (the snapshot
// says which, so no query per request). Captured as the bytes cross the wire (the response as the client got
// it: JSON, or the SSE events as sent), capped per side, and written off the request path in batches like
// usage records. Only bodies: headers, and so the caller's key, are never captured.

export const BODY_CAP_BYTES = 256 * 1024;
/** Beyond this much queued text (the database is down or slow) new bodies are dropped, not held. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
const BATCH = 200;

type Row = Prisma.RequestBodyCreateManyInput;

/** Collects text up to `cap` bytes and remembers whether anything was cut. */
class Capped {
  private parts: Buffer[] = [];
  size = 0;
  truncated = false;

  constructor(private cap = BODY_CAP_BYTES) {}

  add(chunk: string | Buffer) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    const room = this.cap - this.size;
    if (b.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = b.length > room ? b.subarray(0, room) : b;
    this.parts.push(part);
    this.size += part.length;
  }

  // PostgreSQL text cannot hold NUL; a cut inside a multi-byte character decodes to U+FFFD.
  text = () => Buffer.concat(this.parts).toString("utf8").replaceAll("\u0000", "");
}

export interface BodyCapture {
  req: GwRequest;
  res: GwResponse;
  /** The request ended in an error answered by an outer layer: keep that answer as the response. */
  answeredWith(body: unknown): void;
  /** Queues the row (once); call when the answer is complete. */
  finish(): void;
}

export function captureBodies(req: GwRequest, res: GwResponse, meta: { workspaceId: string; at: Date }): BodyCapture {
  const request = new Capped();
  const response = new Capped();
  let finished = false;
  return {
    req: {
      ...req,
      readBody: async (limit) => {
        const buf = await req.readBody(limit);
        if (buf) request.add(buf);
        else request.truncated = true;
        return buf;
      },
    },
    res: {
      head: (s, h) => res.head(s, h),
      write: (c) => {
        response.add(c);
        return res.write(c);
      },
      end: (c) => {
        if (c) response.add(c);
        res.end(c);
      },
    },
    answeredWith(body) {
      if (!response.size) response.add(JSON.stringify(body));
    },
    finish() {
      if (finished) return;
      finished = true;
      bodySink().record({
        requestId: req.requestId,
        workspaceId: meta.workspaceId,
        at: meta.at,
        request: request.text(),
        response: response.text(),
        truncated: request.truncated || response.truncated,
      });
    },
  };
}

export class BodySink {
  private queue: Row[] = [];
  private bytes = 0;
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private write: (rows: Row[]) => Promise<unknown> = (rows) => db.requestBody.createMany({ data: rows, skipDuplicates: true }),
  ) {}

  get pending() {
    return this.queue.length;
  }

  record(row: Row) {
    const size = row.request.length + (row.response?.length ?? 0);
    if (this.bytes + size > MAX_PENDING_BYTES) {
      if (this.dropped++ % 100 === 0) logger.error("request body queue full: dropping bodies", { dropped: this.dropped });
      return;
    }
    this.bytes += size;
    this.queue.push(row);
  }

  flush(): Promise<void> {
    const run = async () => {
      while (this.queue.length) {
        const batch = this.queue.slice(0, BATCH);
        try {
          await this.write(batch);
        } catch (e) {
          logger.error("request bodies could not be written; will retry", { count: batch.length, error: e });
          return;
        }
        this.queue.splice(0, batch.length);
        for (const r of batch) this.bytes -= r.request.length + (r.response?.length ?? 0);
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
  processSingleton<{ sink: BodySink; timer: NodeJS.Timeout | null }>("gatewayBodies", () => ({ sink: new BodySink(), timer: null }));

/** The process's body sink; starts its one-second flush loop on first use. */
export function bodySink(): BodySink {
  const h = holder();
  if (!h.timer) {
    h.timer = setInterval(() => void h.sink.flush(), 1_000);
    h.timer.unref();
  }
  return h.sink;
}

/** Stops the loop and writes what is queued (at shutdown). */
export async function stopBodies(): Promise<void> {
  const h = holder();
  if (h.timer) clearInterval(h.timer);
  h.timer = null;
  await h.sink.flush();
}
