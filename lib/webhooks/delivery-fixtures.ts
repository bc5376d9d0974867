import { db } from "../db/client";
import { suffix } from "../testing/factories";
import { webhookSignals } from "./signals";

// Test helpers: an endpoint row and events handed on the way the ingress does it (docs: the webhooks contract),
// so the delivery and queue tests do not depend on the ingress code.

export async function endpointRow(opts: {
  workspaceId: string;
  target: { type: "worker" | "workflow"; id: string };
  mode?: "async" | "sync";
}) {
  return db.webhookEndpoint.create({
    data: {
      workspaceId: opts.workspaceId,
      name: `hook ${suffix()}`,
      scheme: "secret-header",
      targetType: opts.target.type,
      workerId: opts.target.type === "worker" ? opts.target.id : null,
      workflowId: opts.target.type === "workflow" ? opts.target.id : null,
      mode: opts.mode ?? "async",
    },
  });
}

/** A verified event queued for the endpoint's target (nextAttemptAt set when the target has a delivery URL). */
export async function queueEvent(
  endpoint: { id: string; workspaceId: string; targetType: string; workerId: string | null; workflowId: string | null },
  opts: { body?: string; contentType?: string; now?: Date; signal?: boolean } = {},
) {
  const now = opts.now ?? new Date();
  const targetId = (endpoint.workerId ?? endpoint.workflowId)!;
  const targetType = endpoint.targetType as "worker" | "workflow";
  const where = { id: targetId };
  const target =
    targetType === "worker"
      ? await db.worker.findUnique({ where, select: { deliveryUrl: true } })
      : await db.workflow.findUnique({ where, select: { deliveryUrl: true } });
  const body = opts.body ?? JSON.stringify({ type: "order.created", n: suffix() });
  const ev = await db.webhookEvent.create({
    data: {
      workspaceId: endpoint.workspaceId,
      endpointId: endpoint.id,
      receivedAt: now,
      verified: true,
      responseStatus: 202,
      latencyMs: 1,
      contentType: opts.contentType ?? "application/json",
      sizeBytes: Buffer.byteLength(body),
      body: Buffer.from(body),
      headers: { "content-type": opts.contentType ?? "application/json", "user-agent": "test" },
      targetType,
      targetId,
      deliveryStatus: "queued",
      visibleAt: now,
      nextAttemptAt: target?.deliveryUrl ? now : null,
    },
  });
  if (opts.signal !== false) webhookSignals.queued({ targetType, targetId, eventId: ev.id });
  return ev;
}
