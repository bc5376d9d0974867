import { clsx } from "clsx";
import { BUDGET_THRESHOLDS } from "@/lib/schemas/budgets";
import { spendTone } from "./format";

const fill = { green: "bg-emerald-500", amber: "bg-amber-500", red: "bg-red-600" } as const;

/** Month-to-date spend against a budget, with the alert thresholds marked. */
export function BudgetBar({ percent, label }: { percent: number; label: string }) {
  const tone = spendTone(percent);
  return (
    <div className="relative pt-1 pb-5">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, percent)}
        aria-valuetext={`${percent} %`}
        data-tone={tone}
        className="h-3 overflow-hidden rounded-full bg-slate-100 ring-1 ring-slate-200"
      >
        <div className={clsx("h-full rounded-full transition-all", fill[tone])} style={{ width: `${Math.min(100, percent)}%` }} />
      </div>
      {BUDGET_THRESHOLDS.map((t) => (
        <div key={t} className="absolute top-0 h-5" style={{ left: `${t}%` }} aria-hidden>
          <div className="h-5 w-px -translate-x-1/2 bg-slate-400" />
          <span
            className={clsx(
              "absolute top-5 text-[10px] whitespace-nowrap text-slate-500",
              t === 100 ? "-translate-x-full" : "-translate-x-1/2",
            )}
          >
            {t} %
          </span>
        </div>
      ))}
    </div>
  );
}
