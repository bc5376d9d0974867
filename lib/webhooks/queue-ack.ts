import { db } from "../db/client";
import { conflict, notFound } from "../errors";
import { newDate } from "../runtime/clock";
import { webhookSignals } from "./signals";

// Acknowledging and giving back events of a target's pull queue. Both address the event by id inside the key's
// workspace: another workspace's event, or one never handed to a target (refused, duplicate), is "not found".

export interface AckAnswer {
  id: string;
  deliveryStatus: string;
  ackedAt: string;
}

async function queuedEvent(workspaceId: string, id: string) {
  const row = await db.webhookEvent.findFirst({
    where: { id, workspaceId, targetType: { not: null } },
    select: { id: true, targetType: true, targetId: true, deliveryStatus: true, ackedAt: true },
  });
  if (!row) throw notFound("Event");
  return row;
}

/** Marks the event done (idempotent: acknowledging it again answers the first acknowledgement). */
export async function ackEvent(opts: { workspaceId: string; id: string; now?: Date }): Promise<AckAnswer> {
  const at = opts.now ?? newDate();
  await queuedEvent(opts.workspaceId, opts.id);
  // One statement, so an ack racing a forward's success or a sync result keeps whichever finished state came first.
  await db.webhookEvent.updateMany({
    where: { id: opts.id, workspaceId: opts.workspaceId, ackedAt: null },
    data: { ackedAt: at, deliveryStatus: "acked", nextAttemptAt: null },
  });
  const after = await queuedEvent(opts.workspaceId, opts.id);
  return { id: after.id, deliveryStatus: after.deliveryStatus, ackedAt: (after.ackedAt ?? at).toISOString() };
}

/** Hands a received, unacknowledged event back at once instead of after its visibility timeout. */
export async function nackEvent(opts: { workspaceId: string; id: string; now?: Date }): Promise<{ id: string; visibleAt: string }> {
  const at = opts.now ?? newDate();
  const row = await queuedEvent(opts.workspaceId, opts.id);
  const { count } = await db.webhookEvent.updateMany({
    where: { id: opts.id, workspaceId: opts.workspaceId, ackedAt: null },
    data: { visibleAt: at },
  });
  if (!count) throw conflict("The event was already acknowledged");
  webhookSignals.queued({ targetType: row.targetType as "worker" | "workflow", targetId: row.targetId!, eventId: row.id });
  return { id: row.id, visibleAt: at.toISOString() };
}
