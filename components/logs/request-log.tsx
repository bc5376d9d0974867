"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { flatSearch, useUrlState } from "@/components/ui/use-url-state";
import { ListTree, RefreshCw, Radio, X } from "lucide-react";
import { useState } from "react";
import { clsx } from "clsx";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { DateRangeFilters, FilterField, SelectFilter, TextFilter } from "@/components/ui/filter-field";
import { SkeletonRows, Table, Td, Th, THead } from "@/components/ui/table";
import { STATUS_CLASSES, USAGE_OUTCOMES, type UsageRequestDto } from "@/lib/schemas/usage";
import { LOG_FILTERS, logQuery, type LogFilters } from "./filters";
import { formatCost, formatMs, formatTokens, keyLabel, OUTCOME_LABELS, outcomeTone, servedByLabel, statusTone } from "./format";
import { modelKeys } from "@/components/models/keys";
import { platformKeys } from "@/components/platforms/keys";
import { deploymentKeys } from "@/components/deployments/keys";
import { logKeys } from "./keys";
import { RequestTrace } from "./request-trace";
import { DeadLetters } from "./dead-letters";

const REFRESH_MS = 5_000;
const COLUMNS = 13;

export function RequestLog({
  workspace,
  filters,
  endpoint,
  showDeadLetters,
}: {
  workspace: { id: string; name: string };
  filters: LogFilters;
  endpoint: string;
  /** Admins see usage records the database refused, above the log (nothing when there are none). */
  showDeadLetters: boolean;
}) {
  const [live, setLive] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  // Filters live in the URL so a filtered view can be shared and survives a reload.
  const { update, navigating } = useUrlState(filters, flatSearch);
  const setFilters = (patch: LogFilters) => update((previous) => ({ ...previous, ...patch }));
  const setFilter = (key: keyof LogFilters, value: string | undefined) => setFilters({ [key]: value });

  const query = logQuery(workspace.id, filters);
  const requests = useInfiniteQuery({
    queryKey: logKeys.list(workspace.id, query),
    queryFn: ({ pageParam }) => api<Page<UsageRequestDto>>("/usage/requests", { query: { ...query, cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: live ? REFRESH_MS : false,
  });
  const models = useQuery({
    queryKey: modelKeys.list({ limit: "200" }),
    queryFn: () => api<Page<{ name: string }>>("/models", { query: { limit: 200 } }),
    staleTime: 60_000,
  });
  // Platforms and deployments by name (Admins may list them); the rows add targets deleted since, a filter from
  // a link its own id.
  const platforms = useQuery({
    queryKey: platformKeys.names(),
    queryFn: () => api<Page<{ id: string; name: string }>>("/platforms", { query: { limit: 200 } }),
    staleTime: 60_000,
    retry: false,
  });
  const deployments = useQuery({
    queryKey: deploymentKeys.names(),
    queryFn: () => api<Page<{ id: string; name: string }>>("/deployments", { query: { limit: 200 } }),
    staleTime: 60_000,
    retry: false,
  });
  const rows = requests.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = LOG_FILTERS.some((k) => filters[k]);
  const modelNames = [
    ...new Set([...(models.data?.data.map((m) => m.name) ?? []), ...rows.map((r) => r.model), ...(filters.model ? [filters.model] : [])]),
  ].sort();
  const keyOptions = new Map(rows.filter((r) => r.key).map((r) => [r.key!.id, keyLabel(r.key)]));
  if (filters.key && !keyOptions.has(filters.key)) keyOptions.set(filters.key, filters.key);
  // Targets seen in any page loaded so far stay offered once a filter narrows the rows (Builders cannot list
  // platforms or deployments, so for them the rows are the only source).
  // Kept as state and extended during render when new rows bring new targets (React's derived-state pattern).
  const [seenTargets, setSeenTargets] = useState(() => ({ platform: new Map<string, string>(), deployment: new Map<string, string>() }));
  const unseen = rows.filter((r) => r.servedBy && !seenTargets[r.servedBy.type].has(r.servedBy.id));
  if (unseen.length) {
    const next = { platform: new Map(seenTargets.platform), deployment: new Map(seenTargets.deployment) };
    for (const r of unseen) next[r.servedBy!.type].set(r.servedBy!.id, servedByLabel({ servedBy: r.servedBy!, upstreamModel: null }));
    setSeenTargets(next);
  }
  const targetOptions = (
    type: "platform" | "deployment",
    listed: { id: string; name: string }[] | undefined,
    selected: string | undefined,
  ) => {
    const options = new Map(seenTargets[type]);
    for (const t of listed ?? []) options.set(t.id, t.name);
    if (selected && !options.has(selected)) options.set(selected, selected);
    return [...options].sort((a, b) => a[1].localeCompare(b[1]));
  };
  const users = [...new Set(rows.map((r) => r.userId).filter((u): u is string => !!u))];
  const agents = [...new Set(rows.map((r) => r.agentId).filter((a): a is string => !!a))];

  return (
    <>
      <PageHeader
        title="Logs"
        description={`Every request the gateway served for ${workspace.name}, newest first, with the route it took.`}
        actions={
          <>
            <Button variant={live ? "primary" : "secondary"} size="sm" aria-pressed={live} onClick={() => setLive((v) => !v)}>
              <Radio className={clsx("size-3.5", live && "animate-pulse")} aria-hidden /> {live ? "Auto-refresh on" : "Auto-refresh"}
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => requests.refetch()}
              pending={requests.isRefetching && !requests.isFetchingNextPage}
              aria-label="Refresh now"
            >
              <RefreshCw className="size-3.5" aria-hidden /> Refresh
            </Button>
          </>
        }
      />
      {showDeadLetters && <DeadLetters workspaceId={workspace.id} />}
      <div
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
        aria-busy={navigating || undefined}
      >
        <FilterField label="Search">
          <SearchInput label="Search requests" value={filters.q ?? ""} onChange={(v) => setFilter("q", v || undefined)} className="w-64" />
        </FilterField>
        <SelectFilter
          label="Status"
          value={filters.status}
          // A status code from a link (e.g. 429) is offered beside the classes.
          options={
            filters.status && !(STATUS_CLASSES as readonly string[]).includes(filters.status)
              ? [...STATUS_CLASSES, filters.status]
              : STATUS_CLASSES
          }
          onChange={(v) => setFilter("status", v)}
          className="w-28"
        />
        <SelectFilter
          label="Outcome"
          value={filters.outcome}
          options={USAGE_OUTCOMES.map((o) => [o, OUTCOME_LABELS[o]] as const)}
          onChange={(v) => setFilter("outcome", v)}
          className="w-36"
        />
        <SelectFilter label="Model" value={filters.model} options={modelNames} onChange={(v) => setFilter("model", v)} className="w-44" />
        <SelectFilter label="Key" value={filters.key} options={[...keyOptions]} onChange={(v) => setFilter("key", v)} className="w-40" />
        <TextFilter label="User" value={filters.user} options={users} onCommit={(v) => setFilter("user", v)} />
        <TextFilter label="Agent" value={filters.agent} options={agents} onCommit={(v) => setFilter("agent", v)} />
        <DateRangeFilters from={filters.from} to={filters.to} onChange={setFilter} />
        <SelectFilter
          label="Platform"
          value={filters.platform}
          options={targetOptions("platform", platforms.data?.data, filters.platform)}
          onChange={(v) => setFilter("platform", v)}
          className="w-40"
        />
        <SelectFilter
          label="Deployment"
          value={filters.deployment}
          options={targetOptions("deployment", deployments.data?.data, filters.deployment)}
          onChange={(v) => setFilter("deployment", v)}
          className="w-40"
        />
        {filtered && (
          <Button variant="ghost" size="sm" onClick={() => update(() => ({}))}>
            <X className="size-3.5" aria-hidden /> Clear filters
          </Button>
        )}
      </div>
      <ErrorBanner error={requests.error} className="mb-3" />
      {!requests.isPending && rows.length === 0 && !requests.error ? (
        filtered ? (
          <EmptyState icon={ListTree} title="No request matches these filters">
            <p>Widen the date range or clear a filter.</p>
          </EmptyState>
        ) : (
          <EmptyState icon={ListTree} title="No requests yet">
            <p>Requests appear here a few seconds after agents call the gateway with a key of this workspace:</p>
            <div className="flex items-center justify-center gap-2">
              <code className="rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-800">POST {endpoint}</code>
              <CopyButton value={endpoint} label="Copy URL" />
            </div>
            <p>
              Send <code className="font-mono text-xs">Authorization: Bearer &lt;workspace key&gt;</code> in the OpenAI format; attribute
              calls with the body&apos;s <code className="font-mono text-xs">user</code> field (or{" "}
              <code className="font-mono text-xs">X-User-Id</code>) and <code className="font-mono text-xs">X-Agent-Id</code>.
            </p>
          </EmptyState>
        )
      ) : (
        <Table label="Requests">
          <THead>
            <Th>Time</Th>
            <Th>Status</Th>
            <Th>Model</Th>
            <Th>Served by</Th>
            <Th>Key</Th>
            <Th>User</Th>
            <Th>Agent</Th>
            <Th className="text-right">Tokens in / out</Th>
            <Th className="text-right">Cached</Th>
            <Th className="text-right">Cost</Th>
            <Th className="text-right">Latency</Th>
            <Th className="text-right">TTFT</Th>
            <Th>Stream</Th>
          </THead>
          <tbody>
            {requests.isPending ? (
              <SkeletonRows columns={COLUMNS} rows={6} />
            ) : (
              rows.map((r) => <RequestRow key={r.id} r={r} onOpen={() => setOpen(r.requestId)} />)
            )}
          </tbody>
        </Table>
      )}
      {requests.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button variant="secondary" onClick={() => requests.fetchNextPage()} pending={requests.isFetchingNextPage}>
            Load more
          </Button>
        </div>
      )}
      <RequestTrace workspaceId={workspace.id} requestId={open} onClose={() => setOpen(null)} />
    </>
  );
}

function RequestRow({ r, onOpen }: { r: UsageRequestDto; onOpen: () => void }) {
  return (
    <tr className="group cursor-pointer transition-colors hover:bg-slate-50" onClick={onOpen} data-request-id={r.requestId}>
      <Td className="whitespace-nowrap text-slate-500">
        {/* The button makes the row reachable by keyboard; the whole row is clickable with a pointer. */}
        <button
          type="button"
          className="text-left hover:text-brand-700 hover:underline"
          onClick={(e) => (e.stopPropagation(), onOpen())}
          aria-label={`Show the route trace of ${r.requestId}`}
        >
          {formatDateTime(r.at)}
        </button>
      </Td>
      <Td className="whitespace-nowrap">
        <span className="flex flex-col items-start gap-1">
          <Badge tone={statusTone(r.status)}>{r.status}</Badge>
          {r.outcome !== "success" && <Badge tone={outcomeTone(r.outcome)}>{OUTCOME_LABELS[r.outcome]}</Badge>}
        </span>
      </Td>
      <Td className="whitespace-nowrap font-medium text-slate-800">{r.model}</Td>
      <Td>
        <span className="block max-w-56 truncate" title={servedByLabel(r)}>
          {servedByLabel(r)}
        </span>
        {r.attemptCount > 1 && (
          <span className="text-xs text-amber-700">
            after {r.attemptCount - 1} failed attempt{r.attemptCount > 2 ? "s" : ""}
          </span>
        )}
      </Td>
      <Td className="whitespace-nowrap">
        {r.key ? (
          <span title={r.key.id}>
            {keyLabel(r.key)}
            {r.key.prefix && <span className="ml-1 font-mono text-xs text-slate-400">{r.key.prefix}…</span>}
          </span>
        ) : (
          "—"
        )}
      </Td>
      <Td className="max-w-40 truncate">{r.userId ?? "—"}</Td>
      <Td className="max-w-40 truncate">{r.agentId ?? "—"}</Td>
      <Td className="whitespace-nowrap text-right tabular-nums">
        {formatTokens(r.inputTokens)} / {formatTokens(r.outputTokens)}
        {r.estimated && (
          <span className="ml-1 text-xs text-slate-400" title="Counted by Switchboard: the upstream reported no usage">
            est.
          </span>
        )}
      </Td>
      <Td className="text-right tabular-nums">{formatTokens(r.cachedTokens)}</Td>
      <Td className="text-right tabular-nums">{formatCost(r.costUsd)}</Td>
      <Td className="text-right tabular-nums">{formatMs(r.latencyMs)}</Td>
      <Td className="text-right tabular-nums">{formatMs(r.ttftMs)}</Td>
      <Td>
        {r.streamed ? <Radio className="size-4 text-brand-600" aria-label="Streamed" /> : <span className="sr-only">Not streamed</span>}
      </Td>
    </tr>
  );
}
