import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import { requireWebhookAccess } from "./access";
import { invalidateWebhook } from "./endpoint-cache";
import { dropWebhookSecret } from "./secrets";

/** Deletes an endpoint with its event log and dedupe records, and the secret credentials only it used. */
export async function deleteWebhook(opts: { actor: Actor; endpointId: string; requestId?: string }): Promise<void> {
  const { workspaceId } = await requireWebhookAccess(opts.actor, opts.endpointId, "integrations.manage");
  await db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({
      where: { id: opts.endpointId, workspaceId },
      select: { id: true, name: true, secrets: { select: { id: true, credentialId: true } } },
    });
    if (!row) throw notFound("Webhook");
    const ctx = { actor: opts.actor, workspaceId, endpoint: row, requestId: opts.requestId };
    for (const s of row.secrets) await dropWebhookSecret(tx, ctx, s);
    // registry-neutral: webhook dedupe records are not in the gateway's routing snapshot.
    await tx.webhookDedupe.deleteMany({ where: { endpointId: row.id } });
    // registry-neutral: webhook endpoints are not in the gateway's routing snapshot (events cascade).
    await tx.webhookEndpoint.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      actor: opts.actor,
      action: "webhook.delete",
      targetType: "webhook",
      targetId: row.id,
      targetLabel: row.name,
      workspaceId,
      changes: { name: { from: row.name, to: null } },
      requestId: opts.requestId,
    });
  });
  invalidateWebhook(opts.endpointId);
}
