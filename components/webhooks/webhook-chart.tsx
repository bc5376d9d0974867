"use client";

import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { WEBHOOK_STATS_RANGES, type WebhookStats, type WebhookStatsRange } from "@/lib/schemas/webhook-stats";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Select } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { webhookKeys } from "./keys";

const hourFmt = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const dayFmt = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const RANGE_LABELS: Record<WebhookStatsRange, string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" };

/** Requests per hour or day: verified and refused stacked, so a bar's height is what was received. */
export function WebhookChart({
  endpointId,
  range,
  onRange,
}: {
  endpointId: string;
  range: WebhookStatsRange;
  onRange: (r: WebhookStatsRange) => void;
}) {
  const stats = useQuery({
    queryKey: webhookKeys.stats(endpointId, range),
    queryFn: () => api<WebhookStats>(`/webhooks/${endpointId}/stats`, { query: { range } }),
  });
  const s = stats.data;
  const fmt = (t: number | string) => (s?.bucket === "day" ? dayFmt.format(Number(t)) : hourFmt.format(Number(t)));
  const data = s?.points.map((p) => ({ t: Date.parse(p.t), verified: p.verified, refused: p.refused })) ?? [];
  return (
    <figure aria-label="Calls over time" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <figcaption className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <div>
          <span className="text-sm font-medium text-slate-700">Calls over time</span>
          {s && (
            <span data-testid="webhook-stats-summary" className="ml-3 text-xs text-slate-500">
              {s.received} received · {s.verified} verified · {s.refused} refused{s.duplicates ? ` · ${s.duplicates} duplicates` : ""}
              {` (per ${s.bucket}${s.bucket === "day" ? ", UTC" : ""})`}
            </span>
          )}
        </div>
        <div className="w-40 shrink-0">
          <Select aria-label="Chart range" value={range} onChange={(e) => onRange(e.target.value as WebhookStatsRange)}>
            {WEBHOOK_STATS_RANGES.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
          </Select>
        </div>
      </figcaption>
      <ErrorBanner error={stats.error} />
      <div className="h-48">
        {stats.isPending ? (
          <Skeleton className="h-full w-full" />
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="t" tickFormatter={fmt} tick={{ fontSize: 10 }} minTickGap={24} />
              <YAxis tick={{ fontSize: 10 }} width={40} allowDecimals={false} />
              <Tooltip labelFormatter={(t) => fmt(t as number)} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              <Bar dataKey="verified" name="Verified" stackId="r" fill="#4f46e5" isAnimationActive={false} />
              <Bar dataKey="refused" name="Refused" stackId="r" fill="#dc2626" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
