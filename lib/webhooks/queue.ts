import { db } from "../db/client";
import { newDate } from "../runtime/clock";
import type { QueuedEvent } from "../schemas/webhook-delivery";
import type { QueueTarget } from "./queue-target";

// A target's pull queue: the verified events handed to a worker or workflow and not yet acknowledged. Receiving
// claims events atomically (FOR UPDATE SKIP LOCKED: two pollers never get the same one) and hides them for the
// visibility timeout; one not acknowledged within it is handed out again.

interface ClaimedRow {
  id: string;
  endpointId: string;
  endpointName: string;
  mode: string;
  receivedAt: Date;
  contentType: string;
  body: Uint8Array | null;
  headers: unknown;
  receiveCount: number;
  replayOfId: string | null;
}

const isJson = (contentType: string) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim());

/** The body as the sender posted it: its JSON value, or the text of any other body. */
export function eventBodyValue(contentType: string, body: Uint8Array | null): unknown {
  if (!body || !body.length) return null;
  const text = Buffer.from(body).toString("utf8");
  if (isJson(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function stringHeaders(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** One answer's bodies stop growing here: up to 100 events of up to 10 MB each would otherwise be one 1 GB answer. */
export const QUEUE_ANSWER_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Claims up to `limit` visible events of the target, hiding each for `visibilitySeconds`; stops before the bodies
 * claimed pass `maxBytes` (always at least one event, however large: the others wait for the next receive).
 */
export async function receiveEvents(opts: {
  workspaceId: string;
  target: QueueTarget;
  limit: number;
  visibilitySeconds: number;
  maxBytes?: number;
  now?: Date;
}): Promise<QueuedEvent[]> {
  const now = opts.now ?? newDate();
  const until = new Date(now.getTime() + opts.visibilitySeconds * 1000);
  const maxBytes = opts.maxBytes ?? QUEUE_ANSWER_MAX_BYTES;
  // The window sums run over the locked candidates (FOR UPDATE cannot sit beside a window function); candidates
  // past the bound are only locked for this statement and stay visible.
  const rows = await db.$queryRaw<ClaimedRow[]>`
    WITH candidates AS (
      SELECT "id", "receivedAt", COALESCE(octet_length("body"), 0) AS "size" FROM "WebhookEvent"
      WHERE "workspaceId" = ${opts.workspaceId} AND "targetType" = ${opts.target.type} AND "targetId" = ${opts.target.id}
        AND "ackedAt" IS NULL AND "visibleAt" IS NOT NULL AND "visibleAt" <= ${now}
      ORDER BY "receivedAt", "id"
      LIMIT ${opts.limit}
      FOR UPDATE SKIP LOCKED),
    picked AS (
      SELECT "id" FROM (
        SELECT "id",
          row_number() OVER (ORDER BY "receivedAt", "id") AS "n",
          sum("size") OVER (ORDER BY "receivedAt", "id") AS "total"
        FROM candidates) s
      WHERE "n" = 1 OR "total" <= ${maxBytes}),
    claimed AS (
      UPDATE "WebhookEvent" SET "visibleAt" = ${until}, "receiveCount" = "receiveCount" + 1
      WHERE "id" IN (SELECT "id" FROM picked)
      RETURNING "id", "endpointId", "receivedAt", "contentType", "body", "headers", "receiveCount", "replayOfId")
    SELECT c.*, e."name" AS "endpointName", e."mode" AS "mode"
    FROM claimed c JOIN "WebhookEndpoint" e ON e."id" = c."endpointId"
    ORDER BY c."receivedAt", c."id"`;
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpointId,
    endpoint: r.endpointName,
    receivedAt: new Date(r.receivedAt).toISOString(),
    contentType: r.contentType,
    body: eventBodyValue(r.contentType, r.body),
    headers: stringHeaders(r.headers),
    receiveCount: r.receiveCount,
    mode: r.mode === "sync" ? "sync" : "async",
    replayOfId: r.replayOfId,
  }));
}
