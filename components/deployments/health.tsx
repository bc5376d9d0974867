import { clsx } from "clsx";
import { Badge } from "@/components/ui/badge";
import type { InstanceState } from "@/lib/schemas/deployments";

const LABEL: Record<InstanceState, string> = { healthy: "Healthy", unhealthy: "Unhealthy", unknown: "Unknown" };
const TONE = { healthy: "green", unhealthy: "red", unknown: "slate" } as const;

export function StateBadge({ state, enabled }: { state: InstanceState; enabled: boolean }) {
  if (!enabled) return <Badge tone="slate">Disabled</Badge>;
  return (
    <Badge tone={TONE[state]}>
      <span className={clsx("size-1.5 rounded-full", dotColour[state])} aria-hidden />
      {LABEL[state]}
    </Badge>
  );
}

const dotColour: Record<InstanceState | "disabled", string> = {
  healthy: "bg-emerald-500",
  unhealthy: "bg-red-500",
  unknown: "bg-slate-400",
  disabled: "bg-slate-200 ring-1 ring-slate-300",
};

/** One coloured dot per instance, and "healthy/total". */
export function HealthDots({
  health,
}: {
  health: { healthy: number; unhealthy: number; unknown: number; disabled: number; total: number };
}) {
  const dots = [
    ...Array<"healthy">(health.healthy).fill("healthy"),
    ...Array<"unhealthy">(health.unhealthy).fill("unhealthy"),
    ...Array<"unknown">(health.unknown).fill("unknown"),
    ...Array<"disabled">(health.disabled).fill("disabled"),
  ];
  const label = `${health.healthy} of ${health.total} healthy${health.unhealthy ? `, ${health.unhealthy} unhealthy` : ""}${health.unknown ? `, ${health.unknown} not yet checked` : ""}${health.disabled ? `, ${health.disabled} disabled` : ""}`;
  return (
    <span className="inline-flex items-center gap-2" title={label} aria-label={label}>
      <span className="flex flex-wrap gap-0.5" aria-hidden>
        {dots.slice(0, 24).map((s, i) => (
          <span key={i} className={clsx("size-2 rounded-full", dotColour[s])} />
        ))}
      </span>
      <span className="tabular-nums text-slate-600">
        {health.healthy}/{health.total}
      </span>
    </span>
  );
}

/** "4 s ago" / "3 min ago": health checks run every few seconds, so minute resolution is too coarse. */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return "Never";
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
