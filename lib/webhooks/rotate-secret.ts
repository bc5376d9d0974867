import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { recordAudit, REDACTED } from "../audit/record";
import { notFound } from "../errors";
import type { RotateWebhookSecretInput, WebhookWithSecretDto } from "../schemas/webhooks";
import { requireWebhookAccess } from "./access";
import { getWebhookIn } from "./endpoint-dto";
import { invalidateWebhook } from "./endpoint-cache";
import { dropExpiredSecrets, dropWebhookSecret, generateWebhookSecret, storeWebhookSecret } from "./secrets";

/**
 * Makes a new secret the current one inside `tx`. The secrets valid so far stay valid for `graceSeconds` more
 * (0: they end now and are removed), so senders can switch over; secrets whose grace has passed are removed.
 * Returns the generated value (null when the sender's own was given).
 */
export async function rotateWebhookSecretIn(
  tx: Tx,
  opts: { actor: Actor; endpointId: string; workspaceId: string; input: RotateWebhookSecretInput; source?: string; requestId?: string },
): Promise<string | null> {
  const { actor, endpointId, workspaceId, input } = opts;
  const endpoint = await tx.webhookEndpoint.findFirst({
    where: { id: endpointId, workspaceId },
    select: { id: true, name: true, scheme: true, secrets: { select: { id: true, credentialId: true, expiresAt: true } } },
  });
  if (!endpoint) throw notFound("Webhook");
  const ctx = { actor, workspaceId, endpoint, requestId: opts.requestId };
  const now = new Date();
  await dropExpiredSecrets(tx, ctx, now);
  const until = new Date(now.getTime() + input.graceSeconds * 1000);
  for (const s of endpoint.secrets) {
    if (s.expiresAt && s.expiresAt <= now) continue;
    if (input.graceSeconds === 0) await dropWebhookSecret(tx, ctx, s);
    // A secret already ending sooner keeps its earlier end.
    else if (!s.expiresAt || s.expiresAt > until)
      // registry-neutral: webhook secrets are not in the gateway's routing snapshot.
      await tx.webhookSecret.update({ where: { id: s.id }, data: { expiresAt: until }, select: { id: true } });
  }
  const generated = input.secret ? null : generateWebhookSecret(endpoint.scheme as Parameters<typeof generateWebhookSecret>[0]);
  const credentialId = await storeWebhookSecret(tx, { ...ctx, source: opts.source ?? "console" }, input.secret ?? generated!);
  // registry-neutral: webhook secrets are not in the gateway's routing snapshot.
  await tx.webhookSecret.create({ data: { endpointId, credentialId }, select: { id: true } });
  await recordAudit(tx, {
    actor,
    action: "webhook.rotate_secret",
    targetType: "webhook",
    targetId: endpointId,
    targetLabel: endpoint.name,
    workspaceId,
    changes: { secret: { from: REDACTED, to: REDACTED }, graceSeconds: { from: null, to: input.graceSeconds } },
    requestId: opts.requestId,
  });
  return generated;
}

export async function rotateWebhookSecret(opts: {
  actor: Actor;
  endpointId: string;
  input: RotateWebhookSecretInput;
  requestId?: string;
}): Promise<WebhookWithSecretDto> {
  const { workspaceId } = await requireWebhookAccess(opts.actor, opts.endpointId, "integrations.manage");
  let secret: string | null;
  try {
    secret = await db.$transaction((tx) => rotateWebhookSecretIn(tx, { ...opts, workspaceId }));
  } finally {
    invalidateWebhook(opts.endpointId);
  }
  const dto = await getWebhookIn(db, { id: opts.endpointId, workspaceId });
  if (!dto) throw notFound("Webhook");
  return { ...dto, secret };
}
