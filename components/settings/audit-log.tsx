"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { flatSearch, useUrlState } from "@/components/ui/use-url-state";
import { ScrollText, X } from "lucide-react";
import { api, type Page } from "@/components/api/client";
import { ActionBadge, AuditChanges } from "@/components/audit/changes";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass, Select } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { SkeletonRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { DateRangeFilters, FilterField, SelectFilter } from "@/components/ui/filter-field";
import { AUDIT_FILTERS, type AuditFilters } from "./audit-filters";
import { auditKeys } from "./keys";

interface AuditEntry {
  id: string;
  at: string;
  actorType: string;
  actorLabel: string;
  workspaceId: string | null;
  action: string;
  targetType: string;
  targetLabel: string | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
  requestId: string | null;
}

const ACTION_PREFIXES = ["workspace.", "member.", "member.invite", "token.", "config.", "instance."];
const ACTOR_TYPES = ["user", "token", "config", "system"];
const TARGET_TYPES = ["workspace", "member", "invitation", "admin_token", "config", "user"];

/** Date inputs give local days; the API takes instants. */
function dayBoundary(day: string | undefined, end: boolean): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T${end ? "23:59:59.999" : "00:00:00"}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function AuditLog({
  filters,
  workspace,
  workspaceNames,
  canSeeAll,
}: {
  filters: AuditFilters;
  workspace: { id: string; name: string };
  workspaceNames: Record<string, string>;
  canSeeAll: boolean;
}) {
  const all = canSeeAll && filters.scope === "all";

  // Filters live in the URL so a filtered view can be shared and survives a reload.
  const { update, navigating } = useUrlState(filters, flatSearch);
  const setFilter = (key: keyof AuditFilters, value: string | undefined) => update((previous) => ({ ...previous, [key]: value }));

  const query = {
    workspaceId: all ? undefined : workspace.id,
    action: filters.action,
    actorType: filters.actorType,
    targetType: filters.targetType,
    from: dayBoundary(filters.from, false),
    to: dayBoundary(filters.to, true),
    q: filters.q,
  };
  const entries = useInfiniteQuery({
    queryKey: auditKeys.list(query),
    queryFn: ({ pageParam }) => api<Page<AuditEntry>>("/audit", { query: { ...query, cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = AUDIT_FILTERS.some((k) => k !== "scope" && filters[k]);

  return (
    <section aria-label="Audit log">
      <SectionHeader
        title="Audit log"
        description={
          all ? "Every change in every workspace of this installation, newest first." : `Every change in ${workspace.name}, newest first.`
        }
      />
      <div
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
        aria-busy={navigating || undefined}
      >
        <FilterField label="Search">
          <SearchInput
            label="Search actor, target or action"
            value={filters.q ?? ""}
            onChange={(v) => setFilter("q", v || undefined)}
            className="w-64"
          />
        </FilterField>
        <FilterField label="Action">
          <input
            list="audit-actions"
            aria-label="Action prefix"
            placeholder="e.g. member."
            defaultValue={filters.action ?? ""}
            key={filters.action ?? ""}
            onBlur={(e) => e.target.value !== (filters.action ?? "") && setFilter("action", e.target.value.trim() || undefined)}
            onKeyDown={(e) => e.key === "Enter" && setFilter("action", e.currentTarget.value.trim() || undefined)}
            className={`${inputClass} w-36`}
          />
          <datalist id="audit-actions">
            {ACTION_PREFIXES.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </FilterField>
        <SelectFilter
          label="Actor type"
          value={filters.actorType}
          options={ACTOR_TYPES}
          onChange={(v) => setFilter("actorType", v)}
          className="w-28"
        />
        <SelectFilter
          label="Target type"
          value={filters.targetType}
          options={TARGET_TYPES}
          onChange={(v) => setFilter("targetType", v)}
          className="w-36"
        />
        <DateRangeFilters from={filters.from} to={filters.to} onChange={setFilter} />
        {canSeeAll && (
          <FilterField label="Workspaces">
            <Select
              aria-label="Workspaces"
              value={all ? "all" : ""}
              onChange={(e) => setFilter("scope", e.target.value || undefined)}
              className="w-40"
            >
              <option value="">This workspace</option>
              <option value="all">All workspaces</option>
            </Select>
          </FilterField>
        )}
        {filtered && (
          <Button variant="ghost" size="sm" onClick={() => update(() => (all ? { scope: "all" } : {}))}>
            <X className="size-3.5" aria-hidden /> Clear filters
          </Button>
        )}
      </div>
      <ErrorBanner error={entries.error} className="mb-3" />
      {!entries.isPending && rows.length === 0 ? (
        <EmptyState icon={ScrollText} title={filtered ? "No entry matches these filters" : "No audit entries yet"}>
          <p>
            {filtered
              ? "Widen the date range or clear a filter."
              : "Changes to the workspace, its members and tokens are recorded here as they happen."}
          </p>
        </EmptyState>
      ) : (
        <Table label="Audit entries">
          <THead>
            <Th>Time</Th>
            <Th>Actor</Th>
            <Th>Action</Th>
            <Th>Target</Th>
            <Th>Workspace</Th>
            <Th>Changes</Th>
          </THead>
          <tbody>
            {entries.isPending ? (
              <SkeletonRows columns={6} rows={6} />
            ) : (
              rows.map((e) => (
                <Tr key={e.id}>
                  <Td className="whitespace-nowrap text-slate-500">
                    <span title={e.requestId ? `Request id ${e.requestId}` : undefined}>{formatDateTime(e.at)}</span>
                  </Td>
                  <Td>
                    <span className="block max-w-48 truncate" title={e.actorLabel}>
                      {e.actorLabel}
                    </span>
                    {e.actorType !== "user" && <Badge className="mt-1">{e.actorType}</Badge>}
                  </Td>
                  <Td>
                    <ActionBadge action={e.action} />
                  </Td>
                  <Td>
                    <span className="block text-slate-800">{e.targetLabel ?? "—"}</span>
                    <span className="text-xs text-slate-400">{e.targetType}</span>
                  </Td>
                  <Td className="text-slate-500">{e.workspaceId ? (workspaceNames[e.workspaceId] ?? "Deleted workspace") : "Instance"}</Td>
                  <Td className="min-w-56">
                    <AuditChanges changes={e.changes} />
                  </Td>
                </Tr>
              ))
            )}
          </tbody>
        </Table>
      )}
      {entries.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button variant="secondary" onClick={() => entries.fetchNextPage()} pending={entries.isFetchingNextPage}>
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}
