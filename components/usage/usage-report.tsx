"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useUrlState } from "@/components/ui/use-url-state";
import { Activity, ArrowDown, Download, Filter, Info, ListTree, X } from "lucide-react";
import { useMemo } from "react";
import { clsx } from "clsx";
import { api, apiUrl } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/field";
import { DateRangeFilters, FilterChip, FilterField, TextFilter } from "@/components/ui/filter-field";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { SkeletonRows, Table, Td, Th, THead } from "@/components/ui/table";
import { formatCost, formatTokens } from "@/components/logs/format";
import { USAGE_GROUP_BYS, type UsageGroupRow, type UsageReport, type UsageSeries } from "@/lib/schemas/usage";
import {
  GROUP_BY_LABELS,
  LOG_FILTER_OF,
  RANGE_PRESETS,
  USAGE_FILTERS,
  usageQuery,
  usageViewSearch,
  type UsageFilterName,
  type UsageView,
} from "./filters";
import { usageKeys } from "./keys";
import { CostChart, RequestsChart, TokensChart } from "./usage-charts";

const TOP_N = 50;
const SERIES_GROUPS = 5;
const COLUMNS = 9;
const FILTER_LABELS: Record<UsageFilterName, string> = {
  model: "Model",
  key: "API key",
  user: "User",
  agent: "Agent",
  platform: "Platform",
  deployment: "Deployment",
};

export function UsageReportView({
  workspace,
  view,
  canSeeAll,
}: {
  workspace: { id: string; name: string; slug: string };
  view: UsageView;
  canSeeAll: boolean;
}) {
  // Each change is a history entry, so the back button returns to the previous view.
  const { update, navigating } = useUrlState(view, usageViewSearch, { push: true });
  const setView = (patch: Partial<UsageView>) => update((previous) => ({ ...previous, ...patch }));
  const setFilter = (k: UsageFilterName, v: string | undefined) =>
    update((previous) => ({ ...previous, filters: { ...previous.filters, [k]: v } }));

  // Whole hours, so the query (and its cache key) is stable within an hour.
  const query = useMemo(() => usageQuery(view, workspace.id), [view, workspace.id]);
  const reportQuery = { ...query, sort: view.sort, limit: TOP_N };
  const report = useQuery({ queryKey: usageKeys.report(reportQuery), queryFn: () => api<UsageReport>("/usage", { query: reportQuery }) });
  const seriesQuery = { ...query, top: SERIES_GROUPS };
  const series = useQuery({
    queryKey: usageKeys.series(seriesQuery),
    queryFn: () => api<UsageSeries>("/usage/series", { query: seriesQuery }),
  });
  const csvHref = apiUrl("/usage", { ...reportQuery, format: "csv" });

  const r = report.data;
  const empty = r && r.totals.requests === 0;
  const activeFilters = (Object.keys(USAGE_FILTERS) as UsageFilterName[]).filter((k) => view.filters[k]);
  const logFilter = view.scope === "workspace" ? LOG_FILTER_OF[view.groupBy] : undefined;

  function logsHref(row: UsageGroupRow): string | null {
    if (!r) return null;
    const params = new URLSearchParams({ from: r.from, to: new Date(Date.parse(r.to) - 1).toISOString() });
    if (view.groupBy === "workspace") return row.group ? `/w/${encodeURIComponent(row.group)}/logs?${params}` : null;
    if (!logFilter || !row.group) return null;
    params.set(logFilter, row.group);
    // The Logs page is per workspace: carry the other filters that it understands too.
    for (const k of activeFilters) if (k !== logFilter) params.set(k, view.filters[k]!);
    return `/w/${workspace.slug}/logs?${params}`;
  }

  return (
    <>
      <PageHeader
        title="Usage"
        description={
          view.scope === "all"
            ? "Cost, tokens and requests across every workspace you can read usage of."
            : `Cost, tokens and requests of ${workspace.name}'s gateway calls.`
        }
        actions={
          <a
            href={csvHref}
            download
            className={clsx(
              "inline-flex items-center gap-1.5 rounded-md bg-white px-2.5 py-1.5 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50",
              (!r || empty) && "pointer-events-none opacity-50",
            )}
            aria-disabled={!r || empty || undefined}
          >
            <Download className="size-3.5" aria-hidden /> Export CSV
          </a>
        }
      />
      <div
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
        aria-busy={navigating || undefined}
      >
        <FilterField label="Range">
          <Select
            aria-label="Range"
            value={view.range}
            onChange={(e) => setView({ range: e.target.value as UsageView["range"] })}
            className="w-40"
          >
            {RANGE_PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </Select>
        </FilterField>
        {view.range === "custom" && <DateRangeFilters from={view.from} to={view.to} onChange={(k, v) => setView({ [k]: v })} />}
        <FilterField label="Group by">
          <Select
            aria-label="Group by"
            value={view.groupBy}
            onChange={(e) => setView({ groupBy: e.target.value as UsageView["groupBy"] })}
            className="w-36"
          >
            {USAGE_GROUP_BYS.map((g) => (
              <option key={g} value={g}>
                {GROUP_BY_LABELS[g]}
              </option>
            ))}
          </Select>
        </FilterField>
        {canSeeAll && (
          <FilterField label="Workspaces">
            <Select
              aria-label="Workspaces"
              value={view.scope}
              onChange={(e) => setView({ scope: e.target.value as UsageView["scope"] })}
              className="w-44"
            >
              <option value="workspace">This workspace</option>
              <option value="all">All I can read</option>
            </Select>
          </FilterField>
        )}
        <TextFilter
          label="Model"
          value={view.filters.model}
          options={view.groupBy === "model" ? (r?.data.map((d) => d.group) ?? []) : []}
          onCommit={(v) => setFilter("model", v)}
        />
        <TextFilter
          label="User"
          value={view.filters.user}
          options={view.groupBy === "user" ? (r?.data.map((d) => d.group).filter(Boolean) ?? []) : []}
          onCommit={(v) => setFilter("user", v)}
        />
        <TextFilter
          label="Agent"
          value={view.filters.agent}
          options={view.groupBy === "agent" ? (r?.data.map((d) => d.group).filter(Boolean) ?? []) : []}
          onCommit={(v) => setFilter("agent", v)}
        />
        {activeFilters
          .filter((k) => !["model", "user", "agent"].includes(k))
          .map((k) => (
            <FilterChip key={k} label={FILTER_LABELS[k]} value={view.filters[k]!} onRemove={() => setFilter(k, undefined)} />
          ))}
        {activeFilters.length > 0 && (
          <Button variant="ghost" size="sm" onClick={() => setView({ filters: {} })}>
            <X className="size-3.5" aria-hidden /> Clear filters
          </Button>
        )}
      </div>
      <ErrorBanner error={report.error ?? series.error} className="mb-3" />
      {r?.source === "records" && (
        <p
          className="mb-3 flex items-start gap-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200"
          role="note"
        >
          <Info className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          Filtering by another dimension than the grouping is computed from raw request records, which are kept {r.retentionDays ?? 90}{" "}
          days: older parts of the range count nothing. Without such a filter, reports come from hourly and daily totals that are kept for
          good.
        </p>
      )}
      <Summary report={r} pending={report.isPending} />
      {empty ? (
        <EmptyState icon={Activity} title={activeFilters.length ? "No usage matches these filters" : "No usage in this range"}>
          <p>
            Cost and tokens appear here as soon as agents call the gateway with a key of this workspace. Widen the range or clear a filter.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="mb-4 grid gap-4 lg:grid-cols-2">
            {series.data ? (
              <>
                <div className="lg:col-span-2">
                  <CostChart series={series.data} />
                </div>
                <TokensChart series={series.data} />
                <RequestsChart series={series.data} />
              </>
            ) : series.isPending ? (
              <>
                <Skeleton className="h-72 lg:col-span-2" />
                <Skeleton className="h-72" />
                <Skeleton className="h-72" />
              </>
            ) : null}
          </div>
          <Table label={`Usage by ${GROUP_BY_LABELS[view.groupBy].toLowerCase()}`}>
            <THead>
              <Th>{GROUP_BY_LABELS[view.groupBy]}</Th>
              <SortTh label="Requests" active={view.sort === "requests"} onClick={() => setView({ sort: "requests" })} />
              <Th className="text-right">Errors</Th>
              <SortTh label="Tokens in / out" active={view.sort === "tokens"} onClick={() => setView({ sort: "tokens" })} />
              <Th className="text-right">Cached</Th>
              <SortTh label="Cost" active={view.sort === "cost"} onClick={() => setView({ sort: "cost" })} />
              <Th className="text-right">Share</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
              <Th />
            </THead>
            <tbody>
              {report.isPending ? (
                <SkeletonRows columns={COLUMNS} rows={5} />
              ) : (
                r?.data.map((row) => (
                  <GroupRow
                    key={row.group}
                    row={row}
                    total={r.totals.costUsd}
                    logsHref={logsHref(row)}
                    onFilter={
                      view.groupBy !== "workspace" && row.group && !view.filters[groupFilter(view.groupBy)]
                        ? () => setView({ filters: { ...view.filters, [groupFilter(view.groupBy)]: row.group } })
                        : undefined
                    }
                  />
                ))
              )}
            </tbody>
          </Table>
          {r && r.groupCount > r.data.length && (
            <p className="mt-2 text-xs text-slate-500">
              The top {r.data.length} of {r.groupCount} groups; the summary above counts them all.
            </p>
          )}
        </>
      )}
    </>
  );
}

const groupFilter = (g: UsageView["groupBy"]): UsageFilterName => (LOG_FILTER_OF[g] ?? "model") as UsageFilterName;

function SortTh({ label, active, onClick }: { label: string; active: boolean; onClick: () => void }) {
  return (
    <Th className="text-right">
      <button
        type="button"
        onClick={onClick}
        aria-pressed={active}
        className={clsx("inline-flex items-center gap-1 uppercase hover:text-slate-800", active && "text-slate-900")}
      >
        {label}
        {active && <ArrowDown className="size-3" aria-label="sorted, highest first" />}
      </button>
    </Th>
  );
}

function GroupRow({
  row,
  total,
  logsHref,
  onFilter,
}: {
  row: UsageGroupRow;
  total: string;
  logsHref: string | null;
  onFilter?: () => void;
}) {
  const share = Number(total) > 0 ? (Number(row.costUsd) / Number(total)) * 100 : 0;
  return (
    <tr className="group transition-colors hover:bg-slate-50" data-group={row.group} data-cost={row.costUsd} data-requests={row.requests}>
      <Td className="max-w-72">
        <span
          className={clsx("block truncate font-medium", row.group ? "text-slate-800" : "text-slate-400 italic")}
          title={row.group || undefined}
        >
          {row.label}
        </span>
      </Td>
      <Td className="text-right tabular-nums">{formatTokens(row.requests)}</Td>
      <Td className={clsx("text-right tabular-nums", row.errors > 0 && "text-red-700")}>
        {row.errors ? `${formatTokens(row.errors)} (${((row.errors / row.requests) * 100).toFixed(1)}%)` : "0"}
      </Td>
      <Td className="text-right whitespace-nowrap tabular-nums">
        {formatTokens(row.inputTokens)} / {formatTokens(row.outputTokens)}
      </Td>
      <Td className="text-right tabular-nums">{formatTokens(row.cachedTokens)}</Td>
      <Td className="text-right font-medium tabular-nums">
        <span title={`$${row.costUsd}`}>{formatCost(row.costUsd)}</span>
      </Td>
      <Td className="w-32">
        <span className="flex items-center gap-2">
          <span className="h-1.5 flex-1 rounded-full bg-slate-100">
            <span className="block h-1.5 rounded-full bg-brand-500" style={{ width: `${Math.min(100, share)}%` }} />
          </span>
          <span className="w-10 text-right text-xs tabular-nums text-slate-500">{share.toFixed(share >= 10 ? 0 : 1)}%</span>
        </span>
      </Td>
      <Td className="whitespace-nowrap">
        {onFilter && (
          <Button variant="ghost" size="sm" onClick={onFilter} aria-label={`Filter to ${row.label}`}>
            <Filter className="size-3.5" aria-hidden />
          </Button>
        )}
      </Td>
      <Td className="whitespace-nowrap">
        {logsHref && (
          <Link
            href={logsHref}
            className="inline-flex items-center gap-1 text-xs font-medium text-brand-700 hover:underline"
            aria-label={`Requests of ${row.label}`}
          >
            <ListTree className="size-3.5" aria-hidden /> Requests
          </Link>
        )}
      </Td>
    </tr>
  );
}

function Summary({ report, pending }: { report: UsageReport | undefined; pending: boolean }) {
  const t = report?.totals;
  const cards: [string, string | undefined][] = [
    ["Cost", t && formatCost(t.costUsd)],
    ["Requests", t && formatTokens(t.requests)],
    ["Error rate", t && (t.requests ? `${((t.errors / t.requests) * 100).toFixed(1)}%` : "—")],
    ["Input tokens", t && formatTokens(t.inputTokens)],
    ["Output tokens", t && formatTokens(t.outputTokens)],
    ["Cached tokens", t && formatTokens(t.cachedTokens)],
  ];
  return (
    <dl className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-busy={pending || undefined}>
      {cards.map(([label, value]) => (
        <div key={label} className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
          <dt className="text-xs font-medium text-slate-500">{label}</dt>
          <dd
            className="mt-1 text-lg font-semibold tabular-nums text-slate-900"
            data-testid={`usage-${label.toLowerCase().replace(/\s+/g, "-")}`}
          >
            {value ?? (pending ? <Skeleton className="h-6 w-20" /> : "—")}
          </dd>
        </div>
      ))}
    </dl>
  );
}
