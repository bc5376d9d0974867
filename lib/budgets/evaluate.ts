import { Prisma } from "../db/generated/client";
import { db } from "../db/client";
import { withSecret } from "../credentials/use-credential";
import { monthKey } from "../gateway/limits";
import { logger } from "../log";
import { money } from "../models/money";
import { BUDGET_THRESHOLDS } from "../schemas/budgets";
import { monthSpend } from "./month-spend";
import { sendSignedWebhook, type BudgetWebhookPayload } from "./webhook";

// Compares month-to-date spend with each budget and records a BudgetAlert per threshold crossed. The unique
// (scope, month, threshold) index with ON CONFLICT DO NOTHING decides who created an alert, so several
// instances evaluating at once alert once; only the creator delivers the webhook.

type AlertRow = Prisma.BudgetAlertGetPayload<object>;

/** Thresholds (percent) that `spent` has reached of `budget`; nothing is reached before any spend. */
export function crossedThresholds(spent: Prisma.Decimal, budget: Prisma.Decimal): number[] {
  if (spent.lte(0)) return [];
  return BUDGET_THRESHOLDS.filter((t) => spent.mul(100).gte(budget.mul(t)));
}

/** `refusedScopes`: budgets that refused a gateway call since the last pass (see noteBudgetRefusal). */
export async function evaluateBudgets(
  opts: { workspaceIds?: string[]; now?: number; refusedScopes?: Set<string> } = {},
): Promise<AlertRow[]> {
  const now = opts.now ?? Date.now();
  const month = monthKey(now);
  const filter = opts.workspaceIds ? { id: { in: opts.workspaceIds } } : {};
  const workspaces = await db.workspace.findMany({
    where: { ...filter, OR: [{ monthlyBudgetUsd: { not: null } }, { id: { in: await workspacesWithKeyBudgets(opts.workspaceIds) } }] },
    select: { id: true, name: true, monthlyBudgetUsd: true, budgetAction: true, alertWebhookUrl: true, alertWebhookSecretId: true },
  });
  const created: AlertRow[] = [];
  for (const ws of workspaces) {
    try {
      created.push(...(await evaluateWorkspace(ws, month, now, opts.refusedScopes ?? new Set())));
    } catch (e) {
      logger.error("budget evaluation failed", { workspaceId: ws.id, error: e });
    }
  }
  return created;
}

async function workspacesWithKeyBudgets(ids?: string[]): Promise<string[]> {
  const rows = await db.virtualKey.findMany({
    where: { monthlyBudgetUsd: { not: null }, revokedAt: null, ...(ids ? { workspaceId: { in: ids } } : {}) },
    select: { workspaceId: true },
    distinct: ["workspaceId"],
  });
  return rows.map((r) => r.workspaceId);
}

type Ws = {
  id: string;
  name: string;
  monthlyBudgetUsd: Prisma.Decimal | null;
  budgetAction: string;
  alertWebhookUrl: string | null;
  alertWebhookSecretId: string | null;
};

/** Thresholds reached; a blocking budget that refused a call with at least 80 % spent has reached 100 %. */
function reached(spent: Prisma.Decimal, budget: Prisma.Decimal, refused: boolean): number[] {
  const t = crossedThresholds(spent, budget);
  return refused && t.includes(80) && !t.includes(100) ? [...t, 100] : t;
}

async function evaluateWorkspace(ws: Ws, month: string, now: number, refused: Set<string>): Promise<AlertRow[]> {
  const [spend, keys] = await Promise.all([
    monthSpend({ workspaceId: ws.id, now }),
    db.virtualKey.findMany({
      where: { workspaceId: ws.id, monthlyBudgetUsd: { not: null }, revokedAt: null },
      select: { id: true, name: true, monthlyBudgetUsd: true, budgetAction: true },
    }),
  ]);
  const data: Prisma.BudgetAlertCreateManyInput[] = [];
  if (ws.monthlyBudgetUsd) {
    for (const t of reached(spend.workspace, ws.monthlyBudgetUsd, refused.has(`workspace:${ws.id}`))) {
      data.push({
        workspaceId: ws.id,
        scope: `workspace:${ws.id}`,
        month,
        threshold: t,
        budgetUsd: ws.monthlyBudgetUsd,
        spentUsd: spend.workspace,
        action: ws.budgetAction,
      });
    }
  }
  for (const k of keys) {
    const spent = spend.keys.get(k.id) ?? new Prisma.Decimal(0);
    for (const t of reached(spent, k.monthlyBudgetUsd!, refused.has(`key:${k.id}`))) {
      data.push({
        workspaceId: ws.id,
        scope: `key:${k.id}`,
        virtualKeyId: k.id,
        month,
        threshold: t,
        budgetUsd: k.monthlyBudgetUsd!,
        spentUsd: spent,
        action: k.budgetAction,
      });
    }
  }
  if (!data.length) return [];
  const created = await db.budgetAlert.createManyAndReturn({ data, skipDuplicates: true });
  if (created.length && ws.alertWebhookUrl && ws.alertWebhookSecretId) {
    const names = new Map(keys.map((k) => [k.id, k.name]));
    await deliverAlerts(ws, created, names);
  }
  return created;
}

export function alertPayload(ws: { id: string; name: string }, a: AlertRow, keyName?: string): BudgetWebhookPayload {
  return {
    type: "budget.threshold",
    workspace: { id: ws.id, name: ws.name },
    scope: a.virtualKeyId ? "key" : "workspace",
    ...(a.virtualKeyId ? { key: { id: a.virtualKeyId, name: keyName ?? "" } } : {}),
    month: a.month,
    threshold: a.threshold,
    budgetUsd: money(a.budgetUsd),
    spentUsd: money(a.spentUsd),
    action: a.action,
  };
}

async function deliverAlerts(ws: Ws, alerts: AlertRow[], keyNames: Map<string, string>) {
  try {
    await withSecret({ credentialId: ws.alertWebhookSecretId!, workspaceId: ws.id }, async (secret) => {
      for (const a of alerts) {
        const r = await sendSignedWebhook({
          url: ws.alertWebhookUrl!,
          secret,
          id: `msg_${a.id}`,
          payload: alertPayload(ws, a, keyNames.get(a.virtualKeyId ?? "")),
        });
        await db.budgetAlert.update({
          where: { id: a.id },
          data: r.ok ? { webhookStatus: "delivered", webhookError: null } : { webhookStatus: "failed", webhookError: r.error },
        });
        Object.assign(a, r.ok ? { webhookStatus: "delivered" } : { webhookStatus: "failed", webhookError: r.error });
      }
    });
  } catch (e) {
    // The secret could not be read (deleted, or the key ring changed): record it on the alerts, never the value.
    logger.error("budget webhook secret unavailable", { workspaceId: ws.id, error: e });
    await db.budgetAlert.updateMany({
      where: { id: { in: alerts.map((a) => a.id) } },
      data: { webhookStatus: "failed", webhookError: "The signing secret is unavailable" },
    });
  }
}
