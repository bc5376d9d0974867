import { db } from "../db/client";
import type { Tx } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { notFound } from "../errors";
import { registryWrite } from "../gateway/registry-write";
import { money, toDecimal } from "../models/money";
import type { UpdateWorkspaceBudgetInput } from "../schemas/budgets";
import { queueBudgetCheck } from "./watch";

/** Sets a workspace's monthly budget and its action at 100 % inside `tx`; the gateway picks it up with its snapshot. */
export async function updateWorkspaceBudgetIn(
  tx: Tx,
  opts: { actor: Actor; workspaceId: string; input: UpdateWorkspaceBudgetInput; requestId?: string },
) {
  const { input } = opts;
  const before = await tx.workspace.findUnique({
    where: { id: opts.workspaceId },
    select: { id: true, name: true, monthlyBudgetUsd: true, budgetAction: true },
  });
  if (!before) throw notFound("Workspace");
  const data: { monthlyBudgetUsd?: ReturnType<typeof toDecimal> | null; budgetAction?: string } = {};
  if (input.monthlyBudgetUsd !== undefined)
    data.monthlyBudgetUsd = input.monthlyBudgetUsd === null ? null : toDecimal(input.monthlyBudgetUsd);
  if (input.action !== undefined) data.budgetAction = input.action;
  const view = (w: { monthlyBudgetUsd: { toFixed(dp: number): string } | null; budgetAction: string }) => ({
    monthlyBudgetUsd: money(w.monthlyBudgetUsd),
    action: w.budgetAction,
  });
  const changes = diffFields(view(before), view({ ...before, ...data }), { fields: ["monthlyBudgetUsd", "action"] });
  if (!Object.keys(changes).length) return;
  await registryWrite(tx, async (tx) => {
    await tx.workspace.update({ where: { id: before.id }, data, select: { id: true } });
    const audit = {
      actor: opts.actor,
      action: "workspace.budget.update",
      targetType: "workspace",
      targetId: before.id,
      targetLabel: before.name,
      workspaceId: before.id,
      changes,
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
}

export async function updateWorkspaceBudget(opts: {
  actor: Actor;
  workspaceId: string;
  input: UpdateWorkspaceBudgetInput;
  requestId?: string;
}) {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "budgets.manage");
  await db.$transaction((tx) => updateWorkspaceBudgetIn(tx, opts));
  // A budget lowered below what is already spent alerts now, not at the next call.
  queueBudgetCheck([opts.workspaceId]);
}
