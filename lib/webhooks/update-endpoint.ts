import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { openSecret } from "../crypto";
import { sealContext } from "../credentials/create-credential";
import { AppError, conflict, notFound } from "../errors";
import type { UpdateWebhookInput, WebhookDto } from "../schemas/webhooks";
import { requireWebhookAccess } from "./access";
import { assertWebhookNameFree, WEBHOOK_NAME_TAKEN } from "./create-endpoint";
import { getWebhookIn, storedOptions } from "./endpoint-dto";
import { invalidateWebhook } from "./endpoint-cache";
import { assertOptionsFit, resolveWebhookTarget, secretFitProblem } from "./target";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A scheme change keeps the endpoint's secrets, so the current one must fit the new scheme as a new secret must at
 * create and rotate (Standard Webhooks: whsec_ + base64); one that cannot be read fits nothing.
 */
async function assertCurrentSecretFits(tx: Tx, endpointId: string, workspaceId: string, scheme: string) {
  const current = await tx.webhookSecret.findMany({ where: { endpointId, expiresAt: null }, select: { credentialId: true } });
  for (const { credentialId } of current) {
    const cred = await tx.credential.findFirst({ where: { id: credentialId, workspaceId }, select: { id: true, ciphertext: true } });
    if (!cred) continue;
    let problem: string | null;
    try {
      problem = secretFitProblem(scheme, openSecret(cred.ciphertext, sealContext(cred.id, workspaceId)));
    } catch {
      problem = "The current secret cannot be read";
    }
    if (problem)
      throw new AppError("validation_failed", "The webhook is invalid; nothing was saved", {
        fields: [
          {
            path: "scheme",
            message: `The current secret does not fit ${scheme} (${problem}): rotate the secret with the change (POST /api/admin/webhooks/{id}/rotate-secret with a secret that fits, then change the scheme; in a config file, change both)`,
          },
        ],
      });
  }
}

/**
 * Applies an edit inside `tx`; returns the fields that changed (none: nothing written). `secretReplaced`: the same
 * transaction rotates to a new secret next (config apply), which is checked against the new scheme then.
 */
export async function updateWebhookIn(
  tx: Tx,
  opts: {
    actor: Actor;
    endpointId: string;
    workspaceId: string;
    input: UpdateWebhookInput;
    secretReplaced?: boolean;
    requestId?: string;
  },
): Promise<string[]> {
  const { actor, endpointId, workspaceId, input } = opts;
  const before = await tx.webhookEndpoint.findFirst({
    where: { id: endpointId, workspaceId },
    select: {
      id: true,
      name: true,
      description: true,
      scheme: true,
      options: true,
      targetType: true,
      workerId: true,
      workflowId: true,
      worker: { select: { name: true } },
      workflow: { select: { name: true } },
      mode: true,
      syncTimeoutMs: true,
      redactFields: true,
      retentionDays: true,
      maxBodyBytes: true,
      enabled: true,
    },
  });
  if (!before) throw notFound("Webhook");
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const data: Record<string, unknown> = {};
  const plain = [
    "name",
    "description",
    "scheme",
    "mode",
    "syncTimeoutMs",
    "redactFields",
    "retentionDays",
    "maxBodyBytes",
    "enabled",
  ] as const;
  for (const k of plain) {
    const v = input[k];
    if (v !== undefined && !same(v, before[k])) {
      changes[k] = { from: before[k], to: v };
      data[k] = v;
    }
  }
  if (input.options !== undefined && !same(input.options, storedOptions(before.options))) {
    changes.options = { from: storedOptions(before.options), to: input.options };
    data.options = input.options;
  }
  if (input.target) {
    const t = await resolveWebhookTarget(tx, workspaceId, input.target);
    const beforeId = before.targetType === "workflow" ? before.workflowId : before.workerId;
    if (t.type !== before.targetType || t.id !== beforeId) {
      const beforeName = (before.targetType === "workflow" ? before.workflow?.name : before.worker?.name) ?? "";
      changes.target = { from: `${before.targetType}:${beforeName}`, to: `${t.type}:${t.name}` };
      Object.assign(data, {
        targetType: t.type,
        workerId: t.type === "worker" ? t.id : null,
        workflowId: t.type === "workflow" ? t.id : null,
      });
    }
  }
  if (changes.scheme || changes.options) assertOptionsFit(input.scheme ?? before.scheme, input.options ?? storedOptions(before.options));
  if (changes.scheme && !opts.secretReplaced) await assertCurrentSecretFits(tx, endpointId, workspaceId, input.scheme!);
  if (changes.name) await assertWebhookNameFree(tx, workspaceId, input.name!, endpointId);
  const fields = Object.keys(changes);
  if (!fields.length) return [];
  // registry-neutral: webhook endpoints are not in the gateway's routing snapshot.
  await tx.webhookEndpoint.update({ where: { id: endpointId, workspaceId }, data, select: { id: true } });
  if (changes.name) {
    // The secrets' usages carry the endpoint's name as their label on the credentials page.
    await tx.credentialUsage.updateMany({ where: { ownerType: "webhook", ownerId: endpointId }, data: { label: input.name! } });
  }
  await recordAudit(tx, {
    actor,
    action: "webhook.update",
    targetType: "webhook",
    targetId: endpointId,
    targetLabel: input.name ?? before.name,
    workspaceId,
    changes,
    requestId: opts.requestId,
  });
  return fields;
}

export async function updateWebhook(opts: {
  actor: Actor;
  endpointId: string;
  input: UpdateWebhookInput;
  requestId?: string;
}): Promise<WebhookDto> {
  const { workspaceId } = await requireWebhookAccess(opts.actor, opts.endpointId, "integrations.manage");
  try {
    await db.$transaction((tx) => updateWebhookIn(tx, { ...opts, workspaceId }));
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(WEBHOOK_NAME_TAKEN, "name");
    throw e;
  } finally {
    invalidateWebhook(opts.endpointId);
  }
  const dto = await getWebhookIn(db, { id: opts.endpointId, workspaceId });
  if (!dto) throw notFound("Webhook");
  return dto;
}
