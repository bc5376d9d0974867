import { db } from "../db/client";
import type { Tx } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit, REDACTED } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { conflict, notFound } from "../errors";
import type { CreateWebhookInput, WebhookWithSecretDto } from "../schemas/webhooks";
import { getWebhookIn } from "./endpoint-dto";
import { generateWebhookSecret, storeWebhookSecret } from "./secrets";
import { assertOptionsFit, resolveWebhookTarget } from "./target";

export const WEBHOOK_NAME_TAKEN = "A webhook with this name already exists in this workspace";

export async function assertWebhookNameFree(tx: Tx, workspaceId: string, name: string, exceptId?: string) {
  const clash = await tx.webhookEndpoint.findFirst({
    where: { workspaceId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict(WEBHOOK_NAME_TAKEN, "name");
}

/** Creates an endpoint inside `tx`; returns its id and the secret's value when it was generated (answered once). */
export async function createWebhookIn(
  tx: Tx,
  opts: { actor: Actor; workspaceId: string; input: CreateWebhookInput; source?: string; requestId?: string },
): Promise<{ id: string; secret: string | null }> {
  const { actor, workspaceId, input } = opts;
  const source = opts.source ?? "console";
  assertOptionsFit(input.scheme, input.options);
  await assertWebhookNameFree(tx, workspaceId, input.name);
  const target = await resolveWebhookTarget(tx, workspaceId, input.target);
  const generated = input.secret ? null : generateWebhookSecret(input.scheme);
  // registry-neutral: webhook endpoints are not in the gateway's routing snapshot.
  const row = await tx.webhookEndpoint.create({
    data: {
      workspaceId,
      name: input.name,
      description: input.description,
      scheme: input.scheme,
      options: input.options,
      targetType: target.type,
      workerId: target.type === "worker" ? target.id : null,
      workflowId: target.type === "workflow" ? target.id : null,
      mode: input.mode,
      syncTimeoutMs: input.syncTimeoutMs,
      redactFields: input.redactFields,
      retentionDays: input.retentionDays,
      maxBodyBytes: input.maxBodyBytes,
      enabled: input.enabled,
      source,
      createdById: actor.type === "user" ? actor.id : null,
    },
    select: { id: true, name: true },
  });
  const credentialId = await storeWebhookSecret(
    tx,
    { actor, workspaceId, endpoint: row, source, requestId: opts.requestId },
    input.secret ?? generated!,
  );
  // registry-neutral: webhook secrets are not in the gateway's routing snapshot.
  await tx.webhookSecret.create({ data: { endpointId: row.id, credentialId }, select: { id: true } });
  await recordAudit(tx, {
    actor,
    action: "webhook.create",
    targetType: "webhook",
    targetId: row.id,
    targetLabel: row.name,
    workspaceId,
    changes: {
      name: { from: null, to: row.name },
      scheme: { from: null, to: input.scheme },
      target: { from: null, to: `${target.type}:${target.name}` },
      mode: { from: null, to: input.mode },
      secret: { from: null, to: REDACTED },
      ...(input.enabled ? {} : { enabled: { from: null, to: false } }),
    },
    requestId: opts.requestId,
  });
  return { id: row.id, secret: generated };
}

export async function createWebhook(opts: {
  actor: Actor;
  workspaceId: string;
  input: CreateWebhookInput;
  requestId?: string;
}): Promise<WebhookWithSecretDto> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "integrations.manage");
  let made: { id: string; secret: string | null };
  try {
    made = await db.$transaction((tx) => createWebhookIn(tx, opts));
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(WEBHOOK_NAME_TAKEN, "name");
    throw e;
  }
  const dto = await getWebhookIn(db, { id: made.id, workspaceId: opts.workspaceId });
  if (!dto) throw notFound("Webhook");
  return { ...dto, secret: made.secret };
}
