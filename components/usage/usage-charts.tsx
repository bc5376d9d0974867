"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageSeries } from "@/lib/schemas/usage";
import { moneyAxis } from "@/lib/usage/format-axis";
import { formatCost, formatTokens } from "@/components/logs/format";

const PALETTE = ["#4f46e5", "#0891b2", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0d9488", "#ea580c", "#2563eb", "#65a30d"];
const OTHER_COLOR = "#94a3b8";

const hourFmt = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const dayFmt = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

function timeLabel(bucket: UsageSeries["bucket"]) {
  return (t: number | string) => (bucket === "hour" ? hourFmt.format(Number(t)) : dayFmt.format(Number(t)));
}

function ChartFrame({ title, hint, children }: { title: string; hint?: string; children: React.ReactElement }) {
  return (
    <figure aria-label={title} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm font-medium text-slate-700">
        <span>{title}</span>
        {hint && <span className="text-xs font-normal text-slate-400">{hint}</span>}
      </figcaption>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Cost per bucket, stacked by the top groups (the rest as "Other"). */
export function CostChart({ series }: { series: UsageSeries }) {
  const keys = series.groups.map((_, i) => `g${i}`);
  const data = series.points.map((p) => ({
    t: Date.parse(p.t),
    ...Object.fromEntries(p.byGroup.map((g, i) => [keys[i], Number(g.costUsd)])),
    other: Number(p.other.costUsd),
  }));
  const hasOther = series.points.some((p) => p.other.requests > 0);
  // Bars stack, so the axis spans the largest bucket's total.
  const axis = moneyAxis(
    Math.max(0, ...series.points.map((p) => p.byGroup.reduce((sum, g) => sum + Number(g.costUsd), Number(p.other.costUsd)))),
  );
  const fmt = timeLabel(series.bucket);
  return (
    <ChartFrame title="Cost over time" hint={`per ${series.bucket} (${series.bucket === "day" ? "UTC days" : "local time"})`}>
      <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="t" tickFormatter={fmt} tick={{ fontSize: 10 }} minTickGap={24} />
        <YAxis tick={{ fontSize: 10 }} width="auto" ticks={axis.ticks} domain={axis.domain} interval={0} tickFormatter={axis.format} />
        <Tooltip labelFormatter={(t) => fmt(t as number)} formatter={(v) => formatCost(String(v))} />
        {/* In rank order (biggest cost first), "Other" last; not alphabetical. */}
        <Legend
          wrapperStyle={{ fontSize: 11 }}
          itemSorter={(item) => (item.dataKey === "other" ? keys.length : keys.indexOf(String(item.dataKey)))}
        />
        {series.groups.map((g, i) => (
          <Bar key={keys[i]} dataKey={keys[i]} name={g.label} stackId="cost" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
        ))}
        {(hasOther || series.groups.length === 0) && (
          <Bar dataKey="other" name={series.groups.length ? "Other" : "All"} stackId="cost" fill={OTHER_COLOR} isAnimationActive={false} />
        )}
      </BarChart>
    </ChartFrame>
  );
}

/** Input, output and cached tokens per bucket. */
export function TokensChart({ series }: { series: UsageSeries }) {
  const data = series.points.map((p) => ({ t: Date.parse(p.t), input: p.inputTokens, output: p.outputTokens, cached: p.cachedTokens }));
  const fmt = timeLabel(series.bucket);
  return (
    <ChartFrame title="Tokens over time">
      <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="t" tickFormatter={fmt} tick={{ fontSize: 10 }} minTickGap={24} />
        <YAxis tick={{ fontSize: 10 }} width={56} tickFormatter={(v: number) => compact.format(v)} />
        <Tooltip labelFormatter={(t) => fmt(t as number)} formatter={(v) => formatTokens(Number(v))} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Area type="monotone" dataKey="input" name="Input" stroke="#4f46e5" fill="#4f46e5" fillOpacity={0.15} isAnimationActive={false} />
        <Area type="monotone" dataKey="output" name="Output" stroke="#0891b2" fill="#0891b2" fillOpacity={0.15} isAnimationActive={false} />
        <Area
          type="monotone"
          dataKey="cached"
          name="Cached input"
          stroke="#16a34a"
          fill="#16a34a"
          fillOpacity={0.1}
          isAnimationActive={false}
        />
      </AreaChart>
    </ChartFrame>
  );
}

/** Requests per bucket, failed ones stacked on top in red. */
export function RequestsChart({ series }: { series: UsageSeries }) {
  const data = series.points.map((p) => ({ t: Date.parse(p.t), ok: p.requests - p.errors, errors: p.errors }));
  const fmt = timeLabel(series.bucket);
  return (
    <ChartFrame title="Requests over time">
      <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="t" tickFormatter={fmt} tick={{ fontSize: 10 }} minTickGap={24} />
        <YAxis tick={{ fontSize: 10 }} width={56} allowDecimals={false} tickFormatter={(v: number) => compact.format(v)} />
        <Tooltip labelFormatter={(t) => fmt(t as number)} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="ok" name="Succeeded" stackId="r" fill="#4f46e5" isAnimationActive={false} />
        <Bar dataKey="errors" name="Failed" stackId="r" fill="#dc2626" isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
