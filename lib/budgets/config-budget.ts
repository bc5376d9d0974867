import crypto from "node:crypto";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { sealContext } from "../credentials/create-credential";
import { openSecret } from "../crypto";
import { money, sameMoney, toDecimal } from "../models/money";
import type { ConfigChange } from "../config/types";
import type { ConfigBudgetInput } from "../schemas/budgets";
import { clearAlertWebhookIn, setAlertWebhookIn } from "./alert-webhook";
import { updateWorkspaceBudgetIn } from "./update-budget";

// `workspaces[].budget` in a configuration file. Only the fields present are managed: monthlyUsd (null clears),
// action, alertWebhookUrl (null clears the webhook) and alertWebhookSecret (usually `${env:NAME}`).

export function budgetSecretEnvName(workspace: string): string {
  return `SWITCHBOARD_BUDGET_WEBHOOK_${workspace
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")}`;
}

async function secretEquals(tx: Tx, workspaceId: string, credentialId: string | null, value: string): Promise<boolean> {
  if (!credentialId) return false;
  const row = await tx.credential.findFirst({ where: { id: credentialId, workspaceId }, select: { id: true, ciphertext: true } });
  if (!row) return false;
  try {
    const digest = (s: string) => crypto.createHash("sha256").update(s).digest();
    return crypto.timingSafeEqual(digest(openSecret(row.ciphertext, sealContext(row.id, workspaceId))), digest(value));
  } catch {
    return false;
  }
}

export async function applyConfigBudgets(
  tx: Tx,
  items: { workspace: string; path: string; budget: ConfigBudgetInput }[],
  ctx: { actor: Actor; requestId?: string; dryRun: boolean },
): Promise<ConfigChange[]> {
  const changes: ConfigChange[] = [];
  for (const { workspace, path, budget: b } of items) {
    const ws = await tx.workspace.findFirst({
      where: { name: { equals: workspace, mode: "insensitive" } },
      select: { id: true, monthlyBudgetUsd: true, budgetAction: true, alertWebhookUrl: true, alertWebhookSecretId: true },
    });
    const fields: string[] = [];
    if (b.monthlyUsd !== undefined && !sameMoney(b.monthlyUsd ?? null, ws?.monthlyBudgetUsd ?? null)) fields.push("budget.monthlyUsd");
    if (b.action !== undefined && b.action !== (ws?.budgetAction ?? "notify")) fields.push("budget.action");
    if (b.alertWebhookUrl !== undefined && b.alertWebhookUrl !== (ws?.alertWebhookUrl ?? null)) fields.push("budget.alertWebhookUrl");
    const webhookWanted = b.alertWebhookUrl !== null && !!(b.alertWebhookUrl ?? ws?.alertWebhookUrl);
    const newSecret =
      b.alertWebhookSecret !== undefined &&
      webhookWanted &&
      !(ws && (await secretEquals(tx, ws.id, ws.alertWebhookSecretId, b.alertWebhookSecret)));
    if (newSecret) fields.push("budget.alertWebhookSecret");
    if (!fields.length) continue;
    changes.push({ section: "workspaces", name: workspace, action: "update", fields });
    if (ctx.dryRun || !ws) continue;
    if (fields.includes("budget.monthlyUsd") || fields.includes("budget.action")) {
      await updateWorkspaceBudgetIn(tx, {
        actor: ctx.actor,
        workspaceId: ws.id,
        input: { monthlyBudgetUsd: b.monthlyUsd, action: b.action },
        requestId: ctx.requestId,
      });
    }
    const url = b.alertWebhookUrl === undefined ? ws.alertWebhookUrl : b.alertWebhookUrl;
    if (b.alertWebhookUrl === null) await clearAlertWebhookIn(tx, { actor: ctx.actor, workspaceId: ws.id, requestId: ctx.requestId });
    else if (url && (fields.includes("budget.alertWebhookUrl") || newSecret)) {
      await setAlertWebhookIn(tx, {
        actor: ctx.actor,
        workspaceId: ws.id,
        input: { url, ...(newSecret ? { secret: b.alertWebhookSecret } : {}) },
        keepSecret: true,
        source: "config",
        requestId: ctx.requestId,
        path,
      });
    }
  }
  return changes;
}

/** The workspace's budget in the file's shape; the secret is always an `${env:...}` reference. */
export function exportConfigBudget(w: {
  name: string;
  monthlyBudgetUsd: { toFixed(dp: number): string } | null;
  budgetAction: string;
  alertWebhookUrl: string | null;
}) {
  const amount = money(w.monthlyBudgetUsd);
  if (amount === null && w.budgetAction === "notify" && !w.alertWebhookUrl) return null;
  return {
    ...(amount !== null ? { monthlyUsd: money(toDecimal(String(Number(amount)))) === amount ? Number(amount) : amount } : {}),
    action: w.budgetAction,
    ...(w.alertWebhookUrl ? { alertWebhookUrl: w.alertWebhookUrl, alertWebhookSecret: `\${env:${budgetSecretEnvName(w.name)}}` } : {}),
  };
}
