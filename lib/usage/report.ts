import { db } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Actor } from "../auth/actor";
import { AppError } from "../errors";
import {
  DAY_MS,
  MAX_HOUR_BUCKET_DAYS,
  MAX_REPORT_DAYS,
  type UsageGroupBy,
  type UsageGroupPoint,
  type UsageGroupRow,
  type UsageReport,
  type UsageReportQuery,
  type UsageSeries,
  type UsageSeriesQuery,
  type UsageSums,
  USAGE_FILTER_FIELDS,
} from "../schemas/usage";
import { usageScope, type UsageScope } from "./scope";
import { fromUnits, toUnits } from "./write";
import { groupLabels } from "./labels";

// Usage reports. Totals and series come from UsageRollup (maintained with every usage batch, see write.ts) when
// the only filters are the workspaces and the grouped dimension itself: day rows for the whole days inside the
// range, hour rows for the partial days at its edges. A filter on any other dimension (e.g. users of one model)
// cannot be answered from rollups, so it is computed from the raw records with GROUP BY, and says so.

const HOUR_MS = 3_600_000;
/** Ranges up to this long get hour buckets when the caller leaves the choice to us. */
const AUTO_HOUR_MAX_MS = 2 * DAY_MS;
const DEFAULT_RANGE_MS = 7 * DAY_MS;

/** The UsageRecord column behind each dimension (and the rollup's groupKey for it). */
const RECORD_COLUMN: Record<UsageGroupBy, string> = {
  workspace: "workspaceId",
  user: "userId",
  agent: "agentId",
  model: "model",
  platform: "platformId",
  deployment: "deploymentId",
  key: "virtualKeyId",
};

const FILTER_FIELD = USAGE_FILTER_FIELDS;
type FilterDim = keyof typeof FILTER_FIELD;
type Filters = Pick<UsageReportQuery, "workspaceId" | (typeof FILTER_FIELD)[FilterDim] | "groupBy" | "from" | "to">;

export interface Range {
  from: Date;
  to: Date;
}

const floorTo = (d: Date, ms: number) => new Date(Math.floor(d.getTime() / ms) * ms);
const ceilTo = (d: Date, ms: number) => new Date(Math.ceil(d.getTime() / ms) * ms);

/** [from, to) on whole hours: from rounded down, to rounded up; defaults to the last 7 days up to now. */
export function resolveRange(input: { from?: Date; to?: Date }, now: Date = new Date()): Range {
  const to = ceilTo(
    input.to ??
      (input.from && input.from.getTime() + DEFAULT_RANGE_MS < now.getTime() ? new Date(input.from.getTime() + DEFAULT_RANGE_MS) : now),
    HOUR_MS,
  );
  const from = floorTo(input.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS), HOUR_MS);
  if (from.getTime() >= to.getTime())
    throw new AppError("validation_failed", "The range is empty", { fields: [{ path: "from", message: "Must be before `to`" }] });
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS + 2 * HOUR_MS) {
    throw new AppError("validation_failed", "The range is too long", {
      fields: [{ path: "to", message: `The range may span at most ${MAX_REPORT_DAYS} days` }],
    });
  }
  return { from, to };
}

/** Which rollup rows cover [from, to): day rows for the whole days inside, hour rows for the edges. */
export function rollupPieces(r: Range, hourOnly = false): { granularity: "hour" | "day"; from: Date; to: Date }[] {
  const dayStart = ceilTo(r.from, DAY_MS);
  const dayEnd = floorTo(r.to, DAY_MS);
  if (hourOnly || dayStart.getTime() >= dayEnd.getTime()) return [{ granularity: "hour", from: r.from, to: r.to }];
  return [
    { granularity: "hour" as const, from: r.from, to: dayStart },
    { granularity: "day" as const, from: dayStart, to: dayEnd },
    { granularity: "hour" as const, from: dayEnd, to: r.to },
  ].filter((p) => p.from.getTime() < p.to.getTime());
}

/** Filters on dimensions other than the grouped one (the workspace is the scope, not such a filter). */
function foreignFilters(f: Filters): FilterDim[] {
  return (Object.keys(FILTER_FIELD) as FilterDim[]).filter((d) => d !== f.groupBy && f[FILTER_FIELD[d]] !== undefined);
}

export const reportSource = (f: Filters): "rollups" | "records" => (foreignFilters(f).length ? "records" : "rollups");

// Timestamps are `timestamp(3)` holding UTC: pass them as UTC text, so the session's time zone never shifts them.
const ts = (d: Date) => Prisma.sql`${d.toISOString().replace("Z", "")}::timestamp(3)`;
const col = (name: string) => Prisma.raw(`"${name}"`);

function rollupWhere(f: Filters, scope: UsageScope, range: Range, hourOnly: boolean): Prisma.Sql {
  const pieces = rollupPieces(range, hourOnly).map(
    (p) => Prisma.sql`("granularity" = ${p.granularity} AND "bucket" >= ${ts(p.from)} AND "bucket" < ${ts(p.to)})`,
  );
  const own = f.groupBy === "workspace" ? undefined : f[FILTER_FIELD[f.groupBy as FilterDim]];
  return Prisma.sql`"dimension" = ${f.groupBy} AND (${Prisma.join(pieces, " OR ")})
    ${scope.workspaceIds ? Prisma.sql`AND "workspaceId" = ANY(${scope.workspaceIds}::text[])` : Prisma.empty}
    ${own !== undefined ? Prisma.sql`AND "groupKey" = ${own}` : Prisma.empty}`;
}

function recordWhere(f: Filters, scope: UsageScope, range: Range): Prisma.Sql {
  const conds = [Prisma.sql`"at" >= ${ts(range.from)}`, Prisma.sql`"at" < ${ts(range.to)}`];
  if (scope.workspaceIds) conds.push(Prisma.sql`"workspaceId" = ANY(${scope.workspaceIds}::text[])`);
  for (const d of Object.keys(FILTER_FIELD) as FilterDim[]) {
    const v = f[FILTER_FIELD[d]];
    if (v !== undefined) conds.push(Prisma.sql`${col(RECORD_COLUMN[d])} = ${v}`);
  }
  return Prisma.join(conds, " AND ");
}

const groupExpr = (g: UsageGroupBy) =>
  g === "model" || g === "workspace" ? col(RECORD_COLUMN[g]) : Prisma.sql`COALESCE(${col(RECORD_COLUMN[g])}, '')`;

// Sums as text: exact (bigint, numeric) whatever the driver does with big numbers.
const ROLLUP_SUMS = Prisma.sql`sum("requests")::text AS requests, sum("errors")::text AS errors, sum("inputTokens")::text AS "inputTokens",
  sum("outputTokens")::text AS "outputTokens", sum("cachedTokens")::text AS "cachedTokens", sum("costUsd")::text AS cost`;
const RECORD_SUMS = Prisma.sql`count(*)::text AS requests, count(*) FILTER (WHERE "outcome" <> 'success')::text AS errors,
  COALESCE(sum("inputTokens"), 0)::text AS "inputTokens", COALESCE(sum("outputTokens"), 0)::text AS "outputTokens",
  COALESCE(sum("cachedTokens"), 0)::text AS "cachedTokens", COALESCE(sum("costUsd"), 0)::text AS cost`;

interface RawSums {
  requests: string;
  errors: string;
  inputTokens: string;
  outputTokens: string;
  cachedTokens: string;
  cost: string;
}

/** Exact running sums (cost in 1e-8 USD units). */
interface Acc {
  requests: bigint;
  errors: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedTokens: bigint;
  cost: bigint;
}
const zero = (): Acc => ({ requests: 0n, errors: 0n, inputTokens: 0n, outputTokens: 0n, cachedTokens: 0n, cost: 0n });
const big = (s: string | null) => BigInt(s ?? "0");
function addRaw(a: Acc, r: RawSums): Acc {
  a.requests += big(r.requests);
  a.errors += big(r.errors);
  a.inputTokens += big(r.inputTokens);
  a.outputTokens += big(r.outputTokens);
  a.cachedTokens += big(r.cachedTokens);
  a.cost += toUnits(r.cost ?? "0");
  return a;
}
const toSums = (a: Acc): UsageSums => ({
  requests: Number(a.requests),
  errors: Number(a.errors),
  inputTokens: Number(a.inputTokens),
  outputTokens: Number(a.outputTokens),
  cachedTokens: Number(a.cachedTokens),
  costUsd: fromUnits(a.cost),
});

/** Every group's sums over the range, from rollups or raw records. */
async function groupSums(f: Filters, scope: UsageScope, range: Range, source: "rollups" | "records"): Promise<Map<string, Acc>> {
  const rows =
    source === "rollups"
      ? await db.$queryRaw<
          (RawSums & { g: string })[]
        >`SELECT "groupKey" AS g, ${ROLLUP_SUMS} FROM "UsageRollup" WHERE ${rollupWhere(f, scope, range, false)} GROUP BY "groupKey"`
      : await db.$queryRaw<
          (RawSums & { g: string })[]
        >`SELECT ${groupExpr(f.groupBy)} AS g, ${RECORD_SUMS} FROM "UsageRecord" WHERE ${recordWhere(f, scope, range)} GROUP BY 1`;
  return new Map(rows.map((r) => [r.g, addRaw(zero(), r)]));
}

const SORT_KEY: Record<UsageReportQuery["sort"], (a: Acc) => bigint> = {
  cost: (a) => a.cost,
  requests: (a) => a.requests,
  tokens: (a) => a.inputTokens + a.outputTokens,
};

function ranked(groups: Map<string, Acc>, sort: UsageReportQuery["sort"]): [string, Acc][] {
  const key = SORT_KEY[sort];
  return [...groups].sort(([ga, a], [gb, b]) => {
    const d = key(b) - key(a);
    if (d !== 0n) return d > 0n ? 1 : -1;
    const c = b.cost - a.cost;
    if (c !== 0n) return c > 0n ? 1 : -1;
    return ga < gb ? -1 : ga > gb ? 1 : 0;
  });
}

async function shortestRetention(scope: UsageScope): Promise<number | null> {
  const r = await db.workspace.aggregate({
    _min: { usageRetentionDays: true },
    ...(scope.workspaceIds ? { where: { id: { in: scope.workspaceIds } } } : {}),
  });
  return r._min.usageRetentionDays ?? null;
}

function meta(f: Filters, scope: UsageScope, range: Range, source: "rollups" | "records", retentionDays: number | null) {
  return {
    source,
    groupBy: f.groupBy,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    workspaceIds: scope.workspaceIds,
    retentionDays,
  };
}

/** Totals per group over [from, to), the top `limit` by `sort`, with readable labels and the grand totals. */
export async function usageReport({ actor, input }: { actor: Actor; input: UsageReportQuery }): Promise<UsageReport> {
  const scope = await usageScope(actor, input.workspaceId);
  const range = resolveRange(input);
  const source = reportSource(input);
  const [groups, retentionDays] = await Promise.all([groupSums(input, scope, range, source), shortestRetention(scope)]);
  const all = ranked(groups, input.sort);
  const totals = zero();
  for (const [, a] of all) for (const k of Object.keys(totals) as (keyof Acc)[]) totals[k] += a[k];
  const top = all.slice(0, input.limit);
  const labels = await groupLabels(
    input.groupBy,
    top.map(([g]) => g),
    scope,
  );
  const data: UsageGroupRow[] = top.map(([group, a]) => ({ group, label: labels.get(group) ?? group, ...toSums(a) }));
  return { data, nextCursor: null, totals: toSums(totals), groupCount: all.length, ...meta(input, scope, range, source, retentionDays) };
}

export function seriesBucket(requested: UsageSeriesQuery["bucket"], range: Range): "hour" | "day" {
  if (requested !== "auto") return requested;
  return range.to.getTime() - range.from.getTime() <= AUTO_HOUR_MAX_MS ? "hour" : "day";
}

/** Totals per hour or day bucket (UTC), with the top groups by cost broken out and the rest summed as "other". */
export async function usageSeries({ actor, input }: { actor: Actor; input: UsageSeriesQuery }): Promise<UsageSeries> {
  const scope = await usageScope(actor, input.workspaceId);
  const range = resolveRange(input);
  const bucket = seriesBucket(input.bucket, range);
  if (bucket === "hour" && range.to.getTime() - range.from.getTime() > MAX_HOUR_BUCKET_DAYS * DAY_MS) {
    throw new AppError("validation_failed", "Too many hour buckets", {
      fields: [{ path: "bucket", message: `Hour buckets cover at most ${MAX_HOUR_BUCKET_DAYS} days; use day` }],
    });
  }
  const source = reportSource(input);
  const [groups, retentionDays] = await Promise.all([
    input.top > 0 ? groupSums(input, scope, range, source) : Promise.resolve(new Map<string, Acc>()),
    shortestRetention(scope),
  ]);
  const topKeys = ranked(groups, "cost")
    .slice(0, input.top)
    .map(([g]) => g);
  const trunc = Prisma.raw(`'${bucket}'`);
  const g = Prisma.sql`CASE WHEN ${source === "rollups" ? col("groupKey") : groupExpr(input.groupBy)} = ANY(${topKeys}::text[]) THEN ${source === "rollups" ? col("groupKey") : groupExpr(input.groupBy)} END`;
  const rows =
    source === "rollups"
      ? await db.$queryRaw<
          (RawSums & { t: string; g: string | null })[]
        >`SELECT (extract(epoch FROM date_trunc(${trunc}, "bucket")) * 1000)::bigint::text AS t, ${g} AS g, ${ROLLUP_SUMS}
          FROM "UsageRollup" WHERE ${rollupWhere(input, scope, range, bucket === "hour")} GROUP BY 1, 2`
      : await db.$queryRaw<
          (RawSums & { t: string; g: string | null })[]
        >`SELECT (extract(epoch FROM date_trunc(${trunc}, "at")) * 1000)::bigint::text AS t, ${g} AS g, ${RECORD_SUMS}
          FROM "UsageRecord" WHERE ${recordWhere(input, scope, range)} GROUP BY 1, 2`;

  // Every bucket of the range, empty ones included, so a chart's time axis is continuous.
  const step = bucket === "hour" ? HOUR_MS : DAY_MS;
  const index = new Map(topKeys.map((k, i) => [k, i]));
  const points: { t: number; total: Acc; byGroup: Acc[]; other: Acc }[] = [];
  const byTime = new Map<number, (typeof points)[number]>();
  for (let t = floorTo(range.from, step).getTime(); t < range.to.getTime(); t += step) {
    const p = { t, total: zero(), byGroup: topKeys.map(zero), other: zero() };
    points.push(p);
    byTime.set(t, p);
  }
  for (const r of rows) {
    const p = byTime.get(Number(r.t));
    if (!p) continue;
    addRaw(p.total, r);
    const i = r.g === null ? undefined : index.get(r.g);
    addRaw(i === undefined ? p.other : p.byGroup[i], r);
  }
  const groupPoint = (a: Acc): UsageGroupPoint => ({
    costUsd: fromUnits(a.cost),
    requests: Number(a.requests),
    tokens: Number(a.inputTokens + a.outputTokens),
  });
  const labels = await groupLabels(input.groupBy, topKeys, scope);
  return {
    bucket,
    groups: topKeys.map((group) => ({ group, label: labels.get(group) ?? group })),
    points: points.map((p) => ({
      t: new Date(p.t).toISOString(),
      ...toSums(p.total),
      byGroup: p.byGroup.map(groupPoint),
      other: groupPoint(p.other),
    })),
    ...meta(input, scope, range, source, retentionDays),
  };
}
