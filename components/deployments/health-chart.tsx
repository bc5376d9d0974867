"use client";

import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface HealthPoint {
  at: string;
  ok: boolean;
  latencyMs: number | null;
  httpStatus: number | null;
  error: string | null;
}

const time = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Latency of successful checks as a line; failed checks as red dots on the axis. */
export function HealthChart({ points, uptime, label }: { points: HealthPoint[]; uptime: number | null; label: string }) {
  const data = points.map((p) => ({
    t: new Date(p.at).getTime(),
    latency: p.ok ? p.latencyMs : null,
    failed: p.ok ? null : 0,
    error: p.error,
  }));
  return (
    <figure aria-label={label} className="rounded-md bg-white p-3 ring-1 ring-slate-200">
      <figcaption className="mb-1 flex items-baseline justify-between text-xs text-slate-500">
        <span>Latency, last hour ({points.length} checks)</span>
        <span>
          Uptime{" "}
          <strong className="tabular-nums text-slate-800">
            {uptime === null ? "—" : `${(uptime * 100).toFixed(uptime === 1 ? 0 : 1)}%`}
          </strong>
        </span>
      </figcaption>
      {points.length === 0 ? (
        <p className="py-6 text-center text-xs text-slate-400">No checks yet.</p>
      ) : (
        <div className="h-28">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
              <XAxis
                dataKey="t"
                type="number"
                domain={["dataMin", "dataMax"]}
                tickFormatter={(t: number) => time.format(t)}
                tick={{ fontSize: 10 }}
                minTickGap={40}
              />
              <YAxis tick={{ fontSize: 10 }} unit=" ms" width={56} allowDecimals={false} />
              <Tooltip
                labelFormatter={(t) => time.format(Number(t))}
                formatter={(v, name, item) =>
                  name === "failed" ? [(item.payload as { error: string | null }).error ?? "failed", "Failed"] : [`${v} ms`, "Latency"]
                }
              />
              <Line dataKey="latency" stroke="#4f46e5" strokeWidth={1.5} dot={false} connectNulls={false} isAnimationActive={false} />
              <Line dataKey="failed" stroke="none" dot={{ r: 3, fill: "#dc2626", stroke: "none" }} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
