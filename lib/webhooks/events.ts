import crypto from "node:crypto";
import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors";
import type { WebhookDeliveryStatus, WebhookEventDto, WebhookEventListQuery } from "../schemas/webhooks";
import { toPage, type Page } from "../schemas/zod";
import { requireWebhookAccess } from "./access";
import { webhookSignals } from "./signals";

export const webhookEventSelect = {
  id: true,
  endpointId: true,
  receivedAt: true,
  externalId: true,
  verified: true,
  reason: true,
  duplicate: true,
  responseStatus: true,
  latencyMs: true,
  contentType: true,
  sizeBytes: true,
  payload: true,
  headers: true,
  replayOfId: true,
  deliveryStatus: true,
  deliveryAttempts: true,
  lastError: true,
  deliveredAt: true,
  receiveCount: true,
  ackedAt: true,
  resultStatus: true,
  result: true,
  completedAt: true,
} satisfies Prisma.WebhookEventSelect;

type EventRow = Prisma.WebhookEventGetPayload<{ select: typeof webhookEventSelect }>;

/** A list answer carries a payload only up to this size of its JSON: a payload may be 10 MB, a page 200 rows. */
export const EVENT_LIST_PAYLOAD_MAX_BYTES = 16 * 1024;

// The list's columns without the payload: each page's payloads are read by size, the large ones left in the database.
const { payload: _payload, ...webhookEventListSelect } = webhookEventSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function storedHeaders(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The event as answered; `truncated`: the payload was left out of a list answer for its size. */
export function toWebhookEventDto(r: EventRow, truncated = false): WebhookEventDto {
  return {
    id: r.id,
    endpointId: r.endpointId,
    receivedAt: r.receivedAt.toISOString(),
    externalId: r.externalId,
    verified: r.verified,
    reason: r.reason,
    duplicate: r.duplicate,
    responseStatus: r.responseStatus,
    latencyMs: r.latencyMs,
    contentType: r.contentType,
    sizeBytes: r.sizeBytes,
    payload: truncated ? null : (r.payload ?? null),
    payloadTruncated: truncated,
    headers: storedHeaders(r.headers),
    replayOfId: r.replayOfId,
    deliveryStatus: r.deliveryStatus as WebhookDeliveryStatus,
    deliveryAttempts: r.deliveryAttempts,
    lastError: r.lastError,
    deliveredAt: iso(r.deliveredAt),
    receiveCount: r.receiveCount,
    ackedAt: iso(r.ackedAt),
    resultStatus: r.resultStatus,
    result: r.result ?? null,
    completedAt: iso(r.completedAt),
  };
}

/** An endpoint's events, newest first; filter by verified, duplicate, delivery status; search by the sender's event id or reason. */
export async function listWebhookEvents(opts: {
  actor: Actor;
  endpointId: string;
  query: WebhookEventListQuery;
}): Promise<Page<WebhookEventDto>> {
  const { actor, endpointId, query } = opts;
  const { workspaceId } = await requireWebhookAccess(actor, endpointId, "integrations.read");
  const and: Prisma.WebhookEventWhereInput[] = [{ endpointId, workspaceId }];
  if (query.verified) and.push({ verified: query.verified === "true" });
  if (query.duplicate) and.push({ duplicate: query.duplicate === "true" });
  if (query.deliveryStatus) and.push({ deliveryStatus: query.deliveryStatus });
  if (query.q) and.push({ OR: [{ externalId: { contains: query.q } }, { reason: { contains: query.q } }, { id: query.q }] });
  const rows = await db.webhookEvent.findMany({
    where: { AND: and },
    select: webhookEventListSelect,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  const payloads = await listPayloads(page.data.map((r) => r.id));
  return {
    data: page.data.map((r) => {
      const p = payloads.get(r.id);
      return toWebhookEventDto({ ...r, payload: p?.payload ?? null }, p?.truncated ?? false);
    }),
    nextCursor: page.nextCursor,
  };
}

/** The payloads of a page's events measured in the database: those whose JSON is over the list's bound stay there. */
async function listPayloads(ids: string[]): Promise<Map<string, { payload: Prisma.JsonValue; truncated: boolean }>> {
  if (!ids.length) return new Map();
  const rows = await db.$queryRaw<{ id: string; payload: Prisma.JsonValue; truncated: boolean }[]>`
    SELECT "id",
      CASE WHEN octet_length("payload"::text) <= ${EVENT_LIST_PAYLOAD_MAX_BYTES} THEN "payload" END AS "payload",
      COALESCE(octet_length("payload"::text) > ${EVENT_LIST_PAYLOAD_MAX_BYTES}, false) AS "truncated"
    FROM "WebhookEvent" WHERE "id" = ANY(${ids}::text[])`;
  return new Map(rows.map((r) => [r.id, { payload: r.payload, truncated: r.truncated === true }]));
}

export async function getWebhookEvent(opts: { actor: Actor; endpointId: string; eventId: string }): Promise<WebhookEventDto> {
  const { workspaceId } = await requireWebhookAccess(opts.actor, opts.endpointId, "integrations.read");
  const row = await db.webhookEvent.findFirst({
    where: { id: opts.eventId, endpointId: opts.endpointId, workspaceId },
    select: webhookEventSelect,
  });
  if (!row) throw notFound("Event");
  return toWebhookEventDto(row);
}

// Randomness drawn 9 KB at a time: one randomBytes call per event cost ~30 us under load.
let pool = Buffer.alloc(0);
let poolAt = 0;
/** Ids of events: time-ordered like Prisma's cuid() (the column has no database default), drawn in the ingress too. */
export function newEventId(): string {
  if (poolAt + 9 > pool.length) {
    pool = crypto.randomBytes(9 * 1024);
    poolAt = 0;
  }
  poolAt += 9;
  return `c${Date.now().toString(36)}${pool.toString("hex", poolAt - 9, poolAt)}`;
}

/**
 * Hands a verified event to its endpoint's target once more: a NEW event (replayOfId = the original) with the
 * same body, payload and headers, queued for the endpoint's current target like a fresh one. Refused events
 * cannot be replayed (their sender was never verified).
 */
export async function replayWebhookEvent(opts: {
  actor: Actor;
  endpointId: string;
  eventId: string;
  requestId?: string;
}): Promise<WebhookEventDto> {
  const { workspaceId } = await requireWebhookAccess(opts.actor, opts.endpointId, "integrations.manage");
  const { row, signal } = await db.$transaction(async (tx) => {
    const original = await tx.webhookEvent.findFirst({
      where: { id: opts.eventId, endpointId: opts.endpointId, workspaceId },
      select: {
        id: true,
        verified: true,
        reason: true,
        externalId: true,
        contentType: true,
        sizeBytes: true,
        body: true,
        payload: true,
        headers: true,
      },
    });
    if (!original) throw notFound("Event");
    if (!original.verified) throw new AppError("conflict", "Only verified events can be replayed: this one was refused");
    // Verified but never handed on (an unsupported content type, malformed JSON, Slack's URL check): nothing to run.
    if (original.reason !== null || original.body === null)
      throw new AppError(
        "conflict",
        `Only events handed to the target can be replayed: this one was not (${original.reason ?? "no body"})`,
      );
    const endpoint = await tx.webhookEndpoint.findFirst({
      where: { id: opts.endpointId, workspaceId },
      select: {
        name: true,
        targetType: true,
        workerId: true,
        workflowId: true,
        worker: { select: { deliveryUrl: true } },
        workflow: { select: { deliveryUrl: true } },
      },
    });
    if (!endpoint) throw notFound("Webhook");
    const workflow = endpoint.targetType === "workflow";
    const targetId = (workflow ? endpoint.workflowId : endpoint.workerId) ?? "";
    const pushes = !!(workflow ? endpoint.workflow?.deliveryUrl : endpoint.worker?.deliveryUrl);
    const at = new Date();
    // registry-neutral: webhook events are not in the gateway's routing snapshot.
    const created = await tx.webhookEvent.create({
      data: {
        id: newEventId(),
        workspaceId,
        endpointId: opts.endpointId,
        receivedAt: at,
        externalId: original.externalId,
        verified: true,
        duplicate: false,
        responseStatus: 202,
        latencyMs: 0,
        contentType: original.contentType,
        sizeBytes: original.sizeBytes,
        body: original.body,
        payload: original.payload ?? undefined,
        headers: original.headers ?? {},
        replayOfId: original.id,
        targetType: workflow ? "workflow" : "worker",
        targetId,
        deliveryStatus: "queued",
        visibleAt: at,
        nextAttemptAt: pushes ? at : null,
      },
      select: webhookEventSelect,
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: "webhook.replay",
      targetType: "webhook",
      targetId: opts.endpointId,
      targetLabel: endpoint.name,
      workspaceId,
      changes: { event: { from: original.id, to: created.id } },
      requestId: opts.requestId,
    });
    return { row: created, signal: { targetType: workflow ? ("workflow" as const) : ("worker" as const), targetId, eventId: created.id } };
  });
  webhookSignals.queued(signal);
  return toWebhookEventDto(row);
}
