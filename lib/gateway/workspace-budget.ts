import { noteBudgetRefusal } from "../budgets/watch";
import type { LimitDecision, LimitsStore, Reservation, Usd } from "./types";

// A workspace budget is held like a key budget, in the same limits store under the scope `ws:<workspaceId>`
// (seeded from the workspace's month spend): the key's limits first, then the workspace's. A budget that only
// notifies is tracked with no ceiling, so switching it to block mid-month starts from the true spend. A refusal
// by the workspace gives back what the key's hold took.

export const workspaceScope = (workspaceId: string) => `ws:${workspaceId}`;

const NO_CEILING_USD = 1e9;

export type BudgetReservation = Reservation & { workspace?: Reservation };

export async function reserveWithWorkspace(
  store: LimitsStore,
  key: {
    id: string;
    workspaceId: string;
    limits: Parameters<LimitsStore["reserve"]>[1];
    workspaceBudgetUsd?: number | null;
    workspaceBudgetBlocks?: boolean;
  },
  estTokens: number,
  estCostUsd: Usd,
): Promise<LimitDecision> {
  const d = await store.reserve(key.id, key.limits, estTokens, estCostUsd);
  if (!d.ok && d.limit === "budget") noteBudgetRefusal(key.workspaceId, `key:${key.id}`);
  if (!d.ok || key.workspaceBudgetUsd == null) return d;
  const ceiling = key.workspaceBudgetBlocks ? key.workspaceBudgetUsd : NO_CEILING_USD;
  const w = await store.reserve(workspaceScope(key.workspaceId), { monthlyBudgetUsd: ceiling }, 0, estCostUsd);
  if (!w.ok) {
    noteBudgetRefusal(key.workspaceId, `workspace:${key.workspaceId}`);
    await store.reconcile(d.reservation, 0, 0);
    return { ...w, message: `The workspace's monthly budget of ${key.workspaceBudgetUsd} USD is reached` };
  }
  const reservation: BudgetReservation = { ...d.reservation, workspace: w.reservation };
  return { ok: true, reservation };
}

export async function reconcileWithWorkspace(
  store: LimitsStore,
  r: BudgetReservation,
  actualTokens: number,
  actualCostUsd: Usd,
): Promise<void> {
  await Promise.all([
    store.reconcile(r, actualTokens, actualCostUsd),
    r.workspace ? store.reconcile(r.workspace, 0, actualCostUsd) : undefined,
  ]);
}
