import { db } from "../db/client";
import { conflict, notFound } from "../errors";
import { newDate } from "../runtime/clock";
import type { EventResultInput } from "../schemas/webhook-delivery";
import { webhookSignals } from "./signals";

// The result of a sync-mode event's run (POST /api/v1/events/{id}/result, or a forward's 2xx JSON answer): stored
// once, then the ingress holding the sender's request is woken (lib/webhooks/sync-wait.ts) and answers with it.

export interface ResultAnswer {
  id: string;
  deliveryStatus: "completed";
  completedAt: string;
}

/**
 * Stores the result unless the event already has one or its sender was answered with a timeout; returns false
 * then. Only the first of two concurrent results is kept (the write is conditional).
 */
export async function storeEventResult(opts: {
  workspaceId: string;
  id: string;
  result: EventResultInput;
  now?: Date;
}): Promise<Date | null> {
  const at = opts.now ?? newDate();
  const { count } = await db.webhookEvent.updateMany({
    where: { id: opts.id, workspaceId: opts.workspaceId, completedAt: null, deliveryStatus: { not: "none" }, responseStatus: { not: 504 } },
    data: {
      resultStatus: opts.result.status,
      result: opts.result.body === null ? undefined : (opts.result.body as object),
      completedAt: at,
      deliveryStatus: "completed",
      ackedAt: at,
      nextAttemptAt: null,
    },
  });
  if (!count) return null;
  webhookSignals.completed({ eventId: opts.id });
  return at;
}

/** POST /api/v1/events/{id}/result: 404 for an event not in the workspace's queues, 409 when not sync or already finished. */
export async function postEventResult(opts: {
  workspaceId: string;
  id: string;
  result: EventResultInput;
  now?: Date;
}): Promise<ResultAnswer> {
  const row = await db.webhookEvent.findFirst({
    where: { id: opts.id, workspaceId: opts.workspaceId, targetType: { not: null } },
    select: { id: true, deliveryStatus: true, responseStatus: true, completedAt: true, endpoint: { select: { mode: true } } },
  });
  if (!row) throw notFound("Event");
  if (row.endpoint.mode !== "sync")
    throw conflict("The event's endpoint is asynchronous: there is no sender waiting for a result; acknowledge it instead");
  if (row.completedAt) throw conflict("The event already has a result");
  if (row.deliveryStatus === "timed_out" || row.responseStatus === 504) throw conflict("The sender was already answered with a timeout");
  const at = await storeEventResult(opts);
  if (!at) throw conflict("The event already has a result or its sender was answered with a timeout");
  return { id: row.id, deliveryStatus: "completed", completedAt: at.toISOString() };
}
