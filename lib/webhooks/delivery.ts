import { db } from "../db/client";
import { env } from "../env";
import { logger } from "../log";
import { outboundFetch } from "../outbound/fetch";
import { describeOutboundFailure } from "../outbound/describe-failure";
import { withSecret } from "../credentials/use-credential";
import { newDate, random } from "../runtime/clock";
import { storeEventResult } from "./event-result";
import { hmac } from "./schemes/common";
import { standardWebhooksKey } from "./schemes/standard-webhooks";

// Forwards verified events to their target's delivery URL: a POST of the sender's raw body, signed with Standard
// Webhooks (webhook-id = the event id, webhook-timestamp, webhook-signature with the target's whsec_ secret).
// A 2xx answer delivers (and acknowledges) the event; anything else is a failed attempt retried with exponential
// backoff and jitter, and after SWITCHBOARD_WEBHOOK_MAX_ATTEMPTS attempts the event is dead (no more forwards; it
// stays in the pull queue until acknowledged). For a sync-mode event a 2xx JSON answer is also the run's result.
//
// Events are claimed with one conditional UPDATE (FOR UPDATE SKIP LOCKED), which moves nextAttemptAt past the
// attempt's timeout: two passes never send the same event, and a claim left behind by a crash is retried then.
// That nextAttemptAt is the claim's token: an outcome is written only while the event still carries it, so a stalled
// attempt whose event was claimed again by a later pass cannot overwrite that pass's outcome.

const MAX_RESULT_BYTES = 1024 * 1024;
const CLAIM_MARGIN_MS = 60_000;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 3_600_000;
const ERROR_MAX = 300;

export interface DeliveryOptions {
  now?: () => Date;
  maxAttempts?: number;
  timeoutMs?: number;
  concurrency?: number;
  /** First retry's delay before jitter (doubles each attempt, capped at an hour). */
  backoffBaseMs?: number;
  /** At most this many forwards in one pass (the next sweep continues). */
  maxPerPass?: number;
}

/** Delay before attempt `attempt + 1`: base * 2^(attempt-1), capped, with "equal jitter" (half fixed, half random). */
export function backoffMs(attempt: number, base = BACKOFF_BASE_MS, rnd: () => number = random): number {
  const exp = Math.min(BACKOFF_CAP_MS, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (rnd() * exp) / 2);
}

interface ClaimedForward {
  id: string;
  workspaceId: string;
  endpointId: string;
  targetType: string;
  targetId: string;
  deliveryAttempts: number;
  contentType: string;
  body: Uint8Array | null;
  /** The nextAttemptAt this claim set: the outcome's write matches it. */
  claimUntil: Date;
}

async function claimOne(now: Date, claimUntil: Date): Promise<ClaimedForward | null> {
  const rows = await db.$queryRaw<Omit<ClaimedForward, "claimUntil">[]>`
    UPDATE "WebhookEvent" SET "deliveryStatus" = 'delivering', "nextAttemptAt" = ${claimUntil}
    WHERE "id" IN (
      SELECT e."id" FROM "WebhookEvent" e
      WHERE e."ackedAt" IS NULL AND e."targetId" IS NOT NULL AND (
        (e."deliveryStatus" IN ('queued', 'failed', 'delivering') AND e."nextAttemptAt" <= ${now})
        -- Queued as pull-only although its target has a delivery URL now (set after the event arrived, or the
        -- ingress read its target before the URL's commit): pushed as well.
        OR (e."deliveryStatus" = 'queued' AND e."nextAttemptAt" IS NULL AND e."deliveryAttempts" = 0 AND (
          (e."targetType" = 'worker' AND EXISTS (SELECT 1 FROM "Worker" w WHERE w."id" = e."targetId" AND w."deliveryUrl" IS NOT NULL))
          OR (e."targetType" = 'workflow' AND EXISTS (SELECT 1 FROM "Workflow" f WHERE f."id" = e."targetId" AND f."deliveryUrl" IS NOT NULL)))))
      ORDER BY e."nextAttemptAt" NULLS LAST
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "workspaceId", "endpointId", "targetType", "targetId", "deliveryAttempts", "contentType", "body"`;
  return rows[0] ? { ...rows[0], claimUntil } : null;
}

async function targetOf(ev: ClaimedForward) {
  const where = { id: ev.targetId, workspaceId: ev.workspaceId };
  const select = { name: true, deliveryUrl: true, deliveryInternal: true, deliverySecretId: true };
  return ev.targetType === "worker" ? db.worker.findFirst({ where, select }) : db.workflow.findFirst({ where, select });
}

type Outcome = { ok: true; status: number; json: unknown } | { ok: false; error: string };

async function send(ev: ClaimedForward, opts: Required<Pick<DeliveryOptions, "timeoutMs">> & { now: Date }): Promise<Outcome | "no_url"> {
  const [target, endpoint] = await Promise.all([
    targetOf(ev),
    db.webhookEndpoint.findFirst({ where: { id: ev.endpointId }, select: { name: true, mode: true } }),
  ]);
  if (!target?.deliveryUrl || !endpoint) return "no_url";
  if (!target.deliverySecretId) return { ok: false, error: "The target has no signing secret: rotate it to create one" };
  const body = Buffer.from(ev.body ?? new Uint8Array());
  // Standard Webhooks over the raw bytes forwarded (the library would sign their UTF-8 decoding instead, which
  // differs for a body that is not valid UTF-8).
  const ts = Math.floor(opts.now.getTime() / 1000);
  const signature = await withSecret({ credentialId: target.deliverySecretId, workspaceId: ev.workspaceId }, (secret) => {
    const key = standardWebhooksKey(secret);
    if (!key) throw new Error("The signing secret is not a Standard Webhooks secret");
    return `v1,${hmac(key, `${ev.id}.${ts}.`, body).toString("base64")}`;
  });
  const headers: Record<string, string> = {
    "content-type": ev.contentType || "application/octet-stream",
    "user-agent": "Switchboard-Webhooks/1",
    "webhook-id": ev.id,
    "webhook-timestamp": String(ts),
    "webhook-signature": signature,
    "x-switchboard-event-id": ev.id,
    "x-switchboard-endpoint-id": ev.endpointId,
    "x-switchboard-endpoint": encodeURIComponent(endpoint.name),
    "x-switchboard-mode": endpoint.mode,
    "x-switchboard-attempt": String(ev.deliveryAttempts + 1),
  };
  try {
    const res = await outboundFetch(target.deliveryUrl, {
      method: "POST",
      headers,
      body,
      timeoutMs: opts.timeoutMs,
      allowPrivate: target.deliveryInternal,
      // A redirected POST would lose its body or method: the receiver must answer at its URL.
      maxRedirects: 0,
    });
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      const redirect = res.status >= 300 && res.status < 400 ? " (a redirect: forwards are not redirected)" : "";
      return { ok: false, error: `The delivery URL answered HTTP ${res.status}${redirect}` };
    }
    let json: unknown = undefined;
    const type = res.headers.get("content-type") ?? "";
    const size = Number(res.headers.get("content-length") ?? "0");
    if (endpoint.mode === "sync" && /\bjson\b/i.test(type) && size <= MAX_RESULT_BYTES) {
      // Read with a running count: a chunked answer has no length to check first.
      const text = await readAtMost(res, MAX_RESULT_BYTES);
      if (text !== null && text.length) {
        try {
          json = JSON.parse(text) as unknown;
        } catch {
          json = undefined;
        }
      }
    } else {
      await res.body?.cancel();
    }
    return { ok: true, status: res.status, json };
  } catch (e) {
    const redirected = (e as Error)?.message === "Too many redirects";
    return {
      ok: false,
      error: redirected
        ? "The delivery URL answered with a redirect (forwards are not redirected)"
        : describeOutboundFailure(e, opts.timeoutMs),
    };
  }
}

/**
 * One attempt for a claimed event; writes its outcome only while the claim still stands (still delivering, with the
 * nextAttemptAt this claim set). "superseded": another pass claimed the event meanwhile and owns its outcome.
 */
async function forward(ev: ClaimedForward, o: Required<Omit<DeliveryOptions, "now" | "maxPerPass">> & { now: Date }): Promise<string> {
  let outcome: Outcome | "no_url";
  try {
    outcome = await send(ev, o);
  } catch (e) {
    logger.warn("webhook forward failed", { eventId: ev.id, error: e });
    outcome = { ok: false, error: "The forward could not be prepared (signing secret unreadable)" };
  }
  const claimed = { id: ev.id, deliveryStatus: "delivering", nextAttemptAt: ev.claimUntil };
  if (outcome === "no_url") {
    // The URL was removed after the event was queued: it stays in the pull queue only.
    const { count } = await db.webhookEvent.updateMany({
      where: claimed,
      data: { deliveryStatus: ev.deliveryAttempts ? "failed" : "queued", nextAttemptAt: null },
    });
    return count ? "pull_only" : "superseded";
  }
  const attempts = ev.deliveryAttempts + 1;
  const at = o.now;
  if (outcome.ok) {
    const { count } = await db.webhookEvent.updateMany({
      where: claimed,
      data: { deliveryStatus: "delivered", deliveryAttempts: attempts, deliveredAt: at, ackedAt: at, nextAttemptAt: null, lastError: null },
    });
    if (!count) return "superseded";
    if (outcome.json !== undefined) {
      await storeEventResult({ workspaceId: ev.workspaceId, id: ev.id, result: { status: outcome.status, body: outcome.json as never } });
    }
    return "delivered";
  }
  const dead = attempts >= o.maxAttempts;
  const { count } = await db.webhookEvent.updateMany({
    where: claimed,
    data: {
      deliveryStatus: dead ? "dead" : "failed",
      deliveryAttempts: attempts,
      lastError: outcome.error.slice(0, ERROR_MAX),
      nextAttemptAt: dead ? null : new Date(o.now.getTime() + backoffMs(attempts, o.backoffBaseMs)),
    },
  });
  if (!count) return "superseded";
  return dead ? "dead" : "failed";
}

/**
 * Forwards every event that is due, `concurrency` at a time, until none is left (or maxPerPass were sent).
 * Returns how many attempts ended in each outcome.
 */
export async function runDeliveryPass(opts: DeliveryOptions = {}): Promise<Record<string, number>> {
  const o = {
    maxAttempts: opts.maxAttempts ?? env.SWITCHBOARD_WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: opts.timeoutMs ?? env.SWITCHBOARD_WEBHOOK_DELIVERY_TIMEOUT_MS,
    concurrency: opts.concurrency ?? env.SWITCHBOARD_WEBHOOK_DELIVERY_CONCURRENCY,
    backoffBaseMs: opts.backoffBaseMs ?? BACKOFF_BASE_MS,
  };
  const clock = opts.now ?? newDate;
  const counts: Record<string, number> = {};
  let budget = opts.maxPerPass ?? 1000;
  const lane = async () => {
    while (budget > 0) {
      budget--;
      const now = clock();
      const ev = await claimOne(now, new Date(now.getTime() + o.timeoutMs + CLAIM_MARGIN_MS));
      if (!ev) return;
      const outcome = await forward(ev, { ...o, now });
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  return counts;
}

/** The body as text, or null (reading cancelled) once it passes `max` bytes. */
async function readAtMost(res: Response, max: number): Promise<string | null> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
