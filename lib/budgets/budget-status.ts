import { Prisma } from "../db/generated/client";
import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import { monthKey } from "../gateway/limits";
import { money } from "../models/money";
import type { BudgetAction, BudgetStatusDto } from "../schemas/budgets";
import { monthSpend } from "./month-spend";

const percentOf = (spent: Prisma.Decimal, budget: Prisma.Decimal) =>
  budget.lte(0) ? (spent.gt(0) ? 100 : 0) : Number(spent.mul(100).div(budget).toFixed(1));

/** The workspace budget, month-to-date spend, key budgets and the alert webhook (never its secret). */
export async function getBudgetStatus({
  actor,
  workspaceId,
  now = Date.now(),
}: {
  actor: Actor;
  workspaceId: string;
  now?: number;
}): Promise<BudgetStatusDto> {
  await requireWorkspacePermission(actor, workspaceId, "budgets.read");
  const ws = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { id: true, monthlyBudgetUsd: true, budgetAction: true, alertWebhookUrl: true, alertWebhookSecretId: true },
  });
  if (!ws) throw notFound("Workspace");
  const [spend, keys, unread, secret] = await Promise.all([
    monthSpend({ workspaceId, now }),
    db.virtualKey.findMany({
      where: { workspaceId, monthlyBudgetUsd: { not: null }, revokedAt: null },
      select: { id: true, name: true, monthlyBudgetUsd: true, budgetAction: true },
      orderBy: { name: "asc" },
    }),
    db.budgetAlert.count({ where: { workspaceId, readAt: null } }),
    ws.alertWebhookSecretId
      ? db.credential.findFirst({ where: { id: ws.alertWebhookSecretId, workspaceId }, select: { mask: true } })
      : null,
  ]);
  return {
    workspaceId,
    month: monthKey(now),
    monthlyBudgetUsd: money(ws.monthlyBudgetUsd),
    action: ws.budgetAction as BudgetAction,
    spentUsd: money(spend.workspace),
    percent: ws.monthlyBudgetUsd ? percentOf(spend.workspace, ws.monthlyBudgetUsd) : null,
    alertWebhookUrl: ws.alertWebhookUrl,
    alertWebhookSecretMask: secret?.mask ?? null,
    keys: keys.map((k) => {
      const spent = spend.keys.get(k.id) ?? new Prisma.Decimal(0);
      return {
        id: k.id,
        name: k.name,
        monthlyBudgetUsd: money(k.monthlyBudgetUsd!),
        action: k.budgetAction as BudgetAction,
        spentUsd: money(spent),
        percent: percentOf(spent, k.monthlyBudgetUsd!),
      };
    }),
    unreadAlerts: unread,
  };
}
