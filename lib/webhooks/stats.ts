import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import type { WebhookStats, WebhookStatsRange } from "../schemas/webhook-stats";
import { requireWebhookAccess } from "./access";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGES: Record<WebhookStatsRange, { bucket: "hour" | "day"; count: number }> = {
  "24h": { bucket: "hour", count: 24 },
  "7d": { bucket: "day", count: 7 },
  "30d": { bucket: "day", count: 30 },
};

interface Row {
  t: Date;
  received: number;
  verified: number;
  refused: number;
  duplicates: number;
}

/** Received, verified, refused and duplicate requests per hour (24h) or UTC day (7d, 30d), every bucket filled. */
export async function webhookStats(opts: {
  actor: Actor;
  endpointId: string;
  range: WebhookStatsRange;
  now?: Date;
}): Promise<WebhookStats> {
  // Another workspace's endpoint is "not found", as if it did not exist.
  const endpoint = await requireWebhookAccess(opts.actor, opts.endpointId, "integrations.read");
  const { bucket, count } = RANGES[opts.range];
  const size = bucket === "hour" ? HOUR : DAY;
  const to = opts.now ?? new Date();
  const from = new Date(Math.floor(to.getTime() / size) * size - (count - 1) * size);
  // "receivedAt" is a UTC timestamp without zone, so date_trunc('day') cuts UTC days.
  const rows =
    bucket === "hour"
      ? await db.$queryRaw<Row[]>`
          SELECT date_trunc('hour', "receivedAt") AS t, count(*)::int AS received,
            count(*) FILTER (WHERE "verified")::int AS verified, count(*) FILTER (WHERE NOT "verified")::int AS refused,
            count(*) FILTER (WHERE "duplicate")::int AS duplicates
          FROM "WebhookEvent"
          WHERE "endpointId" = ${opts.endpointId} AND "workspaceId" = ${endpoint.workspaceId} AND "receivedAt" >= ${from}
          GROUP BY 1`
      : await db.$queryRaw<Row[]>`
          SELECT date_trunc('day', "receivedAt") AS t, count(*)::int AS received,
            count(*) FILTER (WHERE "verified")::int AS verified, count(*) FILTER (WHERE NOT "verified")::int AS refused,
            count(*) FILTER (WHERE "duplicate")::int AS duplicates
          FROM "WebhookEvent"
          WHERE "endpointId" = ${opts.endpointId} AND "workspaceId" = ${endpoint.workspaceId} AND "receivedAt" >= ${from}
          GROUP BY 1`;
  const byStart = new Map(rows.map((r) => [new Date(r.t).getTime(), r]));
  const points = Array.from({ length: count }, (_, i) => {
    const start = from.getTime() + i * size;
    const r = byStart.get(start);
    return {
      t: new Date(start).toISOString(),
      received: r?.received ?? 0,
      verified: r?.verified ?? 0,
      refused: r?.refused ?? 0,
      duplicates: r?.duplicates ?? 0,
    };
  });
  const sum = (k: "received" | "verified" | "refused" | "duplicates") => points.reduce((n, p) => n + p[k], 0);
  return {
    range: opts.range,
    bucket,
    from: from.toISOString(),
    to: to.toISOString(),
    received: sum("received"),
    verified: sum("verified"),
    refused: sum("refused"),
    duplicates: sum("duplicates"),
    points,
  };
}
