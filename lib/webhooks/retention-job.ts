import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { withLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { logger } from "../log";
import { invalidateWebhook } from "./endpoint-cache";
import { dropExpiredSecrets } from "./secrets";

// Every 15 minutes (and soon after start), on one app instance at a time: deletes events older than their
// endpoint's retentionDays and the dedupe records of the same age (a sender retrying an event older than the
// retention is not recognised as a duplicate any more), and removes secrets whose rotation grace has passed
// (with their credentials). Deletes go in slices so one run never holds the database for long.

const SLICE = 5_000;
const system: Actor = { type: "system" };

export async function pruneWebhookEvents(now = new Date()): Promise<{ events: number; dedupe: number }> {
  const at = now.toISOString();
  let events = 0;
  for (;;) {
    const n = await db.$executeRaw`DELETE FROM "WebhookEvent" WHERE "id" IN (
      SELECT e."id" FROM "WebhookEvent" e JOIN "WebhookEndpoint" p ON p."id" = e."endpointId"
      WHERE e."receivedAt" < (${at}::timestamptz AT TIME ZONE 'UTC') - make_interval(days => p."retentionDays") LIMIT ${SLICE})`;
    events += n;
    if (n < SLICE) break;
  }
  let dedupe = 0;
  for (;;) {
    const n = await db.$executeRaw`DELETE FROM "WebhookDedupe" WHERE ("endpointId", "externalId") IN (
      SELECT d."endpointId", d."externalId" FROM "WebhookDedupe" d LEFT JOIN "WebhookEndpoint" p ON p."id" = d."endpointId"
      WHERE p."id" IS NULL OR d."createdAt" < (${at}::timestamptz AT TIME ZONE 'UTC') - make_interval(days => p."retentionDays") LIMIT ${SLICE})`;
    dedupe += n;
    if (n < SLICE) break;
  }
  return { events, dedupe };
}

export async function pruneExpiredWebhookSecrets(now = new Date()): Promise<number> {
  const endpoints = await db.webhookEndpoint.findMany({
    where: { secrets: { some: { expiresAt: { not: null, lte: now } } } },
    select: { id: true, name: true, workspaceId: true },
    take: 500,
  });
  let n = 0;
  for (const e of endpoints) {
    n += await db.$transaction((tx) => dropExpiredSecrets(tx, { actor: system, workspaceId: e.workspaceId, endpoint: e }, now));
    invalidateWebhook(e.id);
  }
  return n;
}

export const webhookRetentionJob: ScheduledJob = {
  name: "webhooks.retention",
  everyMs: 15 * 60_000,
  async run() {
    await withLease("webhooks.retention", 5 * 60_000, async () => {
      const pruned = await pruneWebhookEvents();
      const secrets = await pruneExpiredWebhookSecrets();
      if (pruned.events || pruned.dedupe || secrets) logger.info("webhook retention", { ...pruned, secrets });
    });
  },
};
