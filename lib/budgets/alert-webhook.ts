import { db } from "../db/client";
import type { Tx } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit, REDACTED } from "../audit/record";
import { createCredentialIn } from "../credentials/create-credential";
import { attachCredentialUsage, detachCredentialUsage, withSecret } from "../credentials/use-credential";
import { maskSecret } from "../crypto";
import { AppError, notFound } from "../errors";
import { checkOutboundUrl, OutboundBlockedError } from "../outbound/fetch";
import { monthKey } from "../gateway/limits";
import type { SetAlertWebhookInput } from "../schemas/budgets";
import { generateWebhookSecret, sendSignedWebhook, type DeliveryResult } from "./webhook";

// The budget alert webhook of a workspace: a URL (checked by the outbound guard) and a signing secret kept in
// the credentials store as a workspace credential used by ("budget-webhook", workspace id).

export const WEBHOOK_OWNER = "budget-webhook";
const SECRET_NAME = "budget-alerts-webhook";

function assertUrlAllowed(url: string, path = "url") {
  try {
    checkOutboundUrl(url);
  } catch (e) {
    if (e instanceof OutboundBlockedError)
      throw new AppError("validation_failed", "The webhook URL is not allowed", { fields: [{ path, message: e.message }] });
    throw e;
  }
}

/** Removes the stored secret (if any) inside `tx`. */
async function dropSecret(tx: Tx, actor: Actor, ws: { id: string; alertWebhookSecretId: string | null }, requestId?: string) {
  if (!ws.alertWebhookSecretId) return;
  await detachCredentialUsage(tx, { credentialId: ws.alertWebhookSecretId, ownerType: WEBHOOK_OWNER, ownerId: ws.id });
  const cred = await tx.credential.findFirst({
    where: { id: ws.alertWebhookSecretId, workspaceId: ws.id },
    select: { id: true, name: true },
  });
  if (!cred) return;
  // registry-neutral: a workspace credential (the webhook secret), never a platform key's.
  await tx.credential.delete({ where: { id: cred.id } });
  await recordAudit(tx, {
    actor,
    action: "credential.delete",
    targetType: "credential",
    targetId: cred.id,
    targetLabel: cred.name,
    workspaceId: ws.id,
    changes: { name: { from: cred.name, to: null } },
    requestId,
  });
}

/**
 * Sets the URL and stores the secret (given, or generated and returned once) inside `tx`. Without `secret` and
 * with `keepSecret`, an existing secret stays (configuration files that only change the URL).
 */
export async function setAlertWebhookIn(
  tx: Tx,
  opts: {
    actor: Actor;
    workspaceId: string;
    input: SetAlertWebhookInput;
    source?: string;
    requestId?: string;
    keepSecret?: boolean;
    path?: string;
  },
) {
  const { actor, input } = opts;
  assertUrlAllowed(input.url, opts.path ? `${opts.path}.alertWebhookUrl` : "url");
  const ws = await tx.workspace.findUnique({
    where: { id: opts.workspaceId },
    select: { id: true, name: true, alertWebhookUrl: true, alertWebhookSecretId: true },
  });
  if (!ws) throw notFound("Workspace");
  let secretId = ws.alertWebhookSecretId;
  let shown: string | null = null;
  let mask: string | null = null;
  if (input.secret || !opts.keepSecret || !secretId) {
    const value = input.secret ?? generateWebhookSecret();
    await dropSecret(tx, actor, ws, opts.requestId);
    const cred = await createCredentialIn(tx, {
      actor,
      workspaceId: ws.id,
      input: { name: SECRET_NAME, kind: "webhook-secret", value, description: "Signs budget alert webhooks" },
      source: opts.source,
      requestId: opts.requestId,
    });
    await attachCredentialUsage(tx, { credentialId: cred.id, ownerType: WEBHOOK_OWNER, ownerId: ws.id, label: "Budget alerts webhook" });
    secretId = cred.id;
    shown = input.secret ? null : value;
    mask = maskSecret(value);
  }
  // registry-neutral: alerts are not routed on.
  await tx.workspace.update({
    where: { id: ws.id },
    data: { alertWebhookUrl: input.url, alertWebhookSecretId: secretId },
    select: { id: true },
  });
  await recordAudit(tx, {
    actor,
    action: "workspace.alertWebhook.set",
    targetType: "workspace",
    targetId: ws.id,
    targetLabel: ws.name,
    workspaceId: ws.id,
    changes: {
      ...(ws.alertWebhookUrl !== input.url ? { alertWebhookUrl: { from: ws.alertWebhookUrl, to: input.url } } : {}),
      ...(secretId !== ws.alertWebhookSecretId
        ? { alertWebhookSecret: { from: ws.alertWebhookSecretId ? REDACTED : null, to: REDACTED } }
        : {}),
    },
    requestId: opts.requestId,
  });
  if (!mask) mask = (await tx.credential.findUnique({ where: { id: secretId! }, select: { mask: true } }))?.mask ?? "";
  return { url: input.url, secret: shown, secretMask: mask };
}

export async function setAlertWebhook(opts: { actor: Actor; workspaceId: string; input: SetAlertWebhookInput; requestId?: string }) {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "budgets.manage");
  return db.$transaction((tx) => setAlertWebhookIn(tx, opts));
}

export async function clearAlertWebhookIn(tx: Tx, opts: { actor: Actor; workspaceId: string; requestId?: string }) {
  const ws = await tx.workspace.findUnique({
    where: { id: opts.workspaceId },
    select: { id: true, name: true, alertWebhookUrl: true, alertWebhookSecretId: true },
  });
  if (!ws) throw notFound("Workspace");
  if (!ws.alertWebhookUrl && !ws.alertWebhookSecretId) return;
  // registry-neutral: alerts are not routed on.
  await tx.workspace.update({ where: { id: ws.id }, data: { alertWebhookUrl: null, alertWebhookSecretId: null }, select: { id: true } });
  await dropSecret(tx, opts.actor, ws, opts.requestId);
  await recordAudit(tx, {
    actor: opts.actor,
    action: "workspace.alertWebhook.clear",
    targetType: "workspace",
    targetId: ws.id,
    targetLabel: ws.name,
    workspaceId: ws.id,
    changes: { alertWebhookUrl: { from: ws.alertWebhookUrl, to: null }, alertWebhookSecret: { from: REDACTED, to: null } },
    requestId: opts.requestId,
  });
}

export async function clearAlertWebhook(opts: { actor: Actor; workspaceId: string; requestId?: string }) {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "budgets.manage");
  await db.$transaction((tx) => clearAlertWebhookIn(tx, opts));
}

/** Sends a signed `budget.test` event so an admin can check the receiver; answers how it went. */
export async function testAlertWebhook(opts: { actor: Actor; workspaceId: string }): Promise<DeliveryResult> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "budgets.manage");
  const ws = await db.workspace.findUnique({
    where: { id: opts.workspaceId },
    select: { id: true, name: true, alertWebhookUrl: true, alertWebhookSecretId: true, budgetAction: true },
  });
  if (!ws?.alertWebhookUrl || !ws.alertWebhookSecretId) throw new AppError("conflict", "No alert webhook is set for this workspace");
  return withSecret({ credentialId: ws.alertWebhookSecretId, workspaceId: ws.id }, (secret) =>
    sendSignedWebhook({
      url: ws.alertWebhookUrl!,
      secret,
      id: `msg_test_${Date.now().toString(36)}`,
      payload: {
        type: "budget.test",
        workspace: { id: ws.id, name: ws.name },
        scope: "workspace",
        month: monthKey(Date.now()),
        threshold: 0,
        budgetUsd: "0.000000",
        spentUsd: "0.000000",
        action: ws.budgetAction,
      },
    }),
  );
}
