import type { BudgetAlertDto } from "@/lib/schemas/budgets";

export const usd = (v: string | null) =>
  v === null ? "—" : `$${Number(v).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Green below 50 %, amber from 50 %, red from 100 %. */
export const spendTone = (percent: number | null) => (percent === null || percent < 50 ? "green" : percent < 100 ? "amber" : "red");

export const alertTitle = (a: BudgetAlertDto) =>
  `${a.scope === "key" ? `Key ${a.keyName ?? a.virtualKeyId}` : "Workspace"} reached ${a.threshold} % of its ${a.month} budget`;
