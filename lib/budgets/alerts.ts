import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { money } from "../models/money";
import type { BudgetAction, BudgetAlertDto, BudgetAlertQuery, MarkAlertsReadInput } from "../schemas/budgets";
import { toPage, type Page } from "../schemas/zod";

// Budget alerts are the in-app notifications: newest first, read or unread per workspace.

type Row = Prisma.BudgetAlertGetPayload<object>;

function toAlertDto(a: Row, keyNames: Map<string, string>): BudgetAlertDto {
  return {
    id: a.id,
    workspaceId: a.workspaceId,
    scope: a.virtualKeyId ? "key" : "workspace",
    virtualKeyId: a.virtualKeyId,
    keyName: a.virtualKeyId ? (keyNames.get(a.virtualKeyId) ?? null) : null,
    month: a.month,
    threshold: a.threshold,
    budgetUsd: money(a.budgetUsd),
    spentUsd: money(a.spentUsd),
    action: a.action as BudgetAction,
    webhookStatus: a.webhookStatus,
    webhookError: a.webhookError,
    read: a.readAt !== null,
    createdAt: a.createdAt.toISOString(),
  };
}

export async function listBudgetAlerts({
  actor,
  query,
}: {
  actor: Actor;
  query: BudgetAlertQuery;
}): Promise<Page<BudgetAlertDto> & { unread: number }> {
  await requireWorkspacePermission(actor, query.workspaceId, "budgets.read");
  const where: Prisma.BudgetAlertWhereInput = {
    workspaceId: query.workspaceId,
    ...(query.unread !== undefined ? { readAt: query.unread ? null : { not: null } } : {}),
  };
  const [rows, unread] = await Promise.all([
    db.budgetAlert.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit + 1,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    }),
    db.budgetAlert.count({ where: { workspaceId: query.workspaceId, readAt: null } }),
  ]);
  const page = toPage(rows, query.limit);
  const keyIds = [...new Set(page.data.flatMap((a) => (a.virtualKeyId ? [a.virtualKeyId] : [])))];
  const keys = keyIds.length
    ? await db.virtualKey.findMany({ where: { id: { in: keyIds }, workspaceId: query.workspaceId }, select: { id: true, name: true } })
    : [];
  const names = new Map(keys.map((k) => [k.id, k.name]));
  return { data: page.data.map((a) => toAlertDto(a, names)), nextCursor: page.nextCursor, unread };
}

/** Marks the listed alerts (or all) of a workspace read; answers how many unread remain. */
export async function markBudgetAlertsRead(opts: {
  actor: Actor;
  workspaceId: string;
  input: MarkAlertsReadInput;
}): Promise<{ unread: number }> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "budgets.read");
  await db.budgetAlert.updateMany({
    where: { workspaceId: opts.workspaceId, readAt: null, ...(opts.input.ids ? { id: { in: opts.input.ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { unread: await db.budgetAlert.count({ where: { workspaceId: opts.workspaceId, readAt: null } }) };
}
