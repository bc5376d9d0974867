import { USAGE_FILTER_FIELDS, USAGE_GROUP_BYS, USAGE_SORTS, type UsageGroupBy } from "@/lib/schemas/usage";

// The Usage page's state, all in URL search parameters (shareable; the back button walks through changes).

export const RANGE_PRESETS = [
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "month", label: "This month" },
  { value: "custom", label: "Custom" },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["value"];

/** Filters the report takes, by URL name (the Logs page uses the same names) and API name. */
export const USAGE_FILTERS = USAGE_FILTER_FIELDS;
export type UsageFilterName = keyof typeof USAGE_FILTERS;

export interface UsageView {
  range: RangePreset;
  /** Custom range: local days, `to` inclusive. */
  from?: string;
  to?: string;
  groupBy: UsageGroupBy;
  sort: (typeof USAGE_SORTS)[number];
  /** "all": every workspace the viewer may read usage of. */
  scope: "workspace" | "all";
  filters: Partial<Record<UsageFilterName, string>>;
}

const pick = <T extends string>(v: unknown, options: readonly T[], fallback: T): T =>
  typeof v === "string" && (options as readonly string[]).includes(v) ? (v as T) : fallback;
const day = (v: unknown) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

export function parseUsageView(sp: Record<string, string | string[] | undefined>): UsageView {
  const filters: UsageView["filters"] = {};
  for (const k of Object.keys(USAGE_FILTERS) as UsageFilterName[]) {
    const v = sp[k];
    if (typeof v === "string" && v.trim()) filters[k] = v.trim().slice(0, 256);
  }
  return {
    range: pick(
      sp.range,
      RANGE_PRESETS.map((p) => p.value),
      "7d",
    ),
    from: day(sp.from),
    to: day(sp.to),
    groupBy: pick(sp.groupBy, USAGE_GROUP_BYS, "model"),
    sort: pick(sp.sort, USAGE_SORTS, "cost"),
    scope: sp.scope === "all" ? "all" : "workspace",
    filters,
  };
}

/** The URL search string of a view (defaults left out, so links stay short). */
export function usageViewSearch(v: UsageView): string {
  const p = new URLSearchParams();
  if (v.range !== "7d") p.set("range", v.range);
  if (v.range === "custom") {
    if (v.from) p.set("from", v.from);
    if (v.to) p.set("to", v.to);
  }
  if (v.groupBy !== "model") p.set("groupBy", v.groupBy);
  if (v.sort !== "cost") p.set("sort", v.sort);
  if (v.scope === "all") p.set("scope", "all");
  for (const [k, val] of Object.entries(v.filters)) if (val) p.set(k, val);
  return p.toString();
}

const HOUR = 3_600_000;
const ceilHour = (t: number) => Math.ceil(t / HOUR) * HOUR;
const localDay = (d: string) => new Date(`${d}T00:00:00`);

/** The instants [from, to) a view covers, on whole hours (what the API would round to anyway). */
export function viewRange(v: UsageView, now: number = Date.now()): { from: string; to: string } {
  const to = ceilHour(now);
  switch (v.range) {
    case "24h":
      return { from: new Date(to - 24 * HOUR).toISOString(), to: new Date(to).toISOString() };
    case "30d":
      return { from: new Date(to - 30 * 24 * HOUR).toISOString(), to: new Date(to).toISOString() };
    case "month": {
      const n = new Date(now);
      return { from: new Date(n.getFullYear(), n.getMonth(), 1).toISOString(), to: new Date(to).toISOString() };
    }
    case "custom": {
      const from = v.from ? localDay(v.from) : new Date(to - 7 * 24 * HOUR);
      const end = v.to ? localDay(v.to) : null;
      if (end) end.setDate(end.getDate() + 1);
      return { from: from.toISOString(), to: (end ?? new Date(to)).toISOString() };
    }
    default:
      return { from: new Date(to - 7 * 24 * HOUR).toISOString(), to: new Date(to).toISOString() };
  }
}

/** The admin API query of a view (the table, the charts and the CSV export all use it). */
export function usageQuery(v: UsageView, workspaceId: string, now?: number) {
  const q: Record<string, string> = { ...viewRange(v, now), groupBy: v.groupBy };
  if (v.scope === "workspace") q.workspaceId = workspaceId;
  for (const [k, val] of Object.entries(v.filters)) if (val) q[USAGE_FILTERS[k as UsageFilterName]] = val;
  return q;
}

export const GROUP_BY_LABELS: Record<UsageGroupBy, string> = {
  workspace: "Workspace",
  user: "User",
  agent: "Agent",
  model: "Model",
  platform: "Platform",
  deployment: "Deployment",
  key: "API key",
};

/** The Logs page filter for a group, where the Logs page has one. */
export const LOG_FILTER_OF: Partial<Record<UsageGroupBy, UsageFilterName>> = {
  model: "model",
  key: "key",
  user: "user",
  agent: "agent",
  platform: "platform",
  deployment: "deployment",
};
