import crypto from "node:crypto";
import { Prisma } from "../db/generated/client";
import type { BatchStep, EmbeddedDb } from "../db/embedded";
import { db, dbHandle } from "../db/client";
import { now as clockNow, newDate } from "../runtime/clock";

export type UsageRow = Prisma.UsageRecordCreateManyInput;

/** The groupings reports offer; each has its own rollup rows (workspace is part of every row's key). */
export const USAGE_DIMENSIONS = ["workspace", "user", "agent", "model", "platform", "deployment", "key"] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];
export const ROLLUP_GRANULARITIES = ["hour", "day"] as const;
export type RollupGranularity = (typeof ROLLUP_GRANULARITIES)[number];

type Inserted = Pick<
  Prisma.UsageRecordGetPayload<object>,
  | "at"
  | "workspaceId"
  | "virtualKeyId"
  | "userId"
  | "agentId"
  | "model"
  | "platformId"
  | "deploymentId"
  | "outcome"
  | "inputTokens"
  | "outputTokens"
  | "cachedTokens"
  | "costUsd"
  | "latencyMs"
>;

/** The group a record falls in for a dimension ("" when the record has none, e.g. no user). */
export function groupKeyOf(
  r: Pick<Inserted, "workspaceId" | "virtualKeyId" | "userId" | "agentId" | "model" | "platformId" | "deploymentId">,
  d: UsageDimension,
): string {
  switch (d) {
    case "workspace":
      return r.workspaceId;
    case "user":
      return r.userId ?? "";
    case "agent":
      return r.agentId ?? "";
    case "model":
      return r.model;
    case "platform":
      return r.platformId ?? "";
    case "deployment":
      return r.deploymentId ?? "";
    case "key":
      return r.virtualKeyId ?? "";
  }
}

export function bucketOf(at: Date, g: RollupGranularity): Date {
  const ms = g === "hour" ? 3_600_000 : 86_400_000;
  return new Date(Math.floor(at.getTime() / ms) * ms);
}

interface Delta {
  granularity: RollupGranularity;
  bucket: Date;
  workspaceId: string;
  dimension: UsageDimension;
  groupKey: string;
  requests: number;
  errors: number;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedTokens: bigint;
  /** Cost in units of 1e-8 USD (the column's scale), so sums are exact. */
  cost: bigint;
  latencyMsSum: bigint;
}

const CANONICAL_COST = /^\d{1,10}\.\d{8}$/;
/** A cost in units of 1e-8 USD, rounded half up to the column's 8 places (a canonical "d.dddddddd" string is read as is). */
export const toUnits = (d: Prisma.Decimal | string | number) =>
  BigInt(typeof d === "string" && CANONICAL_COST.test(d) ? d.replace(".", "") : new Prisma.Decimal(d).toFixed(8).replace(".", ""));
export const fromUnits = (u: bigint) => {
  const neg = u < 0n;
  const s = (neg ? -u : u).toString().padStart(9, "0");
  return `${neg ? "-" : ""}${s.slice(0, -8)}.${s.slice(-8)}`;
};

/**
 * Sums records into one delta per (granularity, bucket, workspace, dimension, group). Records are first summed per
 * hour and full group tuple (a batch from one busy key is a handful of tuples), then each tuple is spread over the
 * granularities and dimensions, so the work per record is one map lookup.
 */
export function rollupDeltas(records: readonly Inserted[]): Delta[] {
  interface Fine {
    r: Inserted;
    hour: number;
    requests: number;
    errors: number;
    input: number;
    output: number;
    cached: number;
    cost: bigint;
    latency: number;
  }
  const fine = new Map<string, Fine>();
  for (const r of records) {
    const hour = Math.floor(r.at.getTime() / 3_600_000) * 3_600_000;
    const id = `${hour}\u0000${r.workspaceId}\u0000${r.virtualKeyId ?? ""}\u0000${r.userId ?? ""}\u0000${r.agentId ?? ""}\u0000${r.model}\u0000${r.platformId ?? ""}\u0000${r.deploymentId ?? ""}`;
    let f = fine.get(id);
    if (!f) fine.set(id, (f = { r, hour, requests: 0, errors: 0, input: 0, output: 0, cached: 0, cost: 0n, latency: 0 }));
    f.requests++;
    if (r.outcome !== "success") f.errors++;
    f.input += r.inputTokens;
    f.output += r.outputTokens;
    f.cached += r.cachedTokens;
    f.cost += toUnits(r.costUsd);
    f.latency += r.latencyMs;
  }
  const out = new Map<string, Delta>();
  for (const f of fine.values()) {
    for (const g of ROLLUP_GRANULARITIES) {
      const bucket = g === "hour" ? f.hour : Math.floor(f.hour / 86_400_000) * 86_400_000;
      for (const d of USAGE_DIMENSIONS) {
        const groupKey = groupKeyOf(f.r, d);
        const id = `${g}|${bucket}|${f.r.workspaceId}|${d}|${groupKey}`;
        let x = out.get(id);
        if (!x) {
          x = {
            granularity: g,
            bucket: new Date(bucket),
            workspaceId: f.r.workspaceId,
            dimension: d,
            groupKey,
            requests: 0,
            errors: 0,
            inputTokens: 0n,
            outputTokens: 0n,
            cachedTokens: 0n,
            cost: 0n,
            latencyMsSum: 0n,
          };
          out.set(id, x);
        }
        x.requests += f.requests;
        x.errors += f.errors;
        x.inputTokens += BigInt(f.input);
        x.outputTokens += BigInt(f.output);
        x.cachedTokens += BigInt(f.cached);
        x.cost += f.cost;
        x.latencyMsSum += BigInt(f.latency);
      }
    }
  }
  return [...out.values()];
}

/** Adds deltas to the rollup table in one statement (arrays, so the parameter count stays at 12). */
type Exec = (sql: string, params: unknown[]) => Promise<unknown>;
const prismaExec =
  (tx: Prisma.TransactionClient): Exec =>
  (sql, params) =>
    tx.$executeRawUnsafe(sql, ...params);

export async function applyRollupDeltas(exec: Exec, deltas: readonly Delta[]): Promise<void> {
  if (!deltas.length) return;
  const col = <T>(f: (d: Delta) => T) => deltas.map(f);
  await exec(
    `INSERT INTO "UsageRollup" ("granularity","bucket","workspaceId","dimension","groupKey","requests","errors","inputTokens","outputTokens","cachedTokens","costUsd","latencyMsSum")
     SELECT * FROM unnest($1::text[], $2::timestamp(3)[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[], $11::numeric[], $12::bigint[])
     ON CONFLICT ("granularity","dimension","bucket","workspaceId","groupKey") DO UPDATE SET
       "requests" = "UsageRollup"."requests" + EXCLUDED."requests",
       "errors" = "UsageRollup"."errors" + EXCLUDED."errors",
       "inputTokens" = "UsageRollup"."inputTokens" + EXCLUDED."inputTokens",
       "outputTokens" = "UsageRollup"."outputTokens" + EXCLUDED."outputTokens",
       "cachedTokens" = "UsageRollup"."cachedTokens" + EXCLUDED."cachedTokens",
       "costUsd" = "UsageRollup"."costUsd" + EXCLUDED."costUsd",
       "latencyMsSum" = "UsageRollup"."latencyMsSum" + EXCLUDED."latencyMsSum"`,
    [
      col((d) => d.granularity),
      col((d) => d.bucket.toISOString()),
      col((d) => d.workspaceId),
      col((d) => d.dimension),
      col((d) => d.groupKey),
      col((d) => d.requests),
      col((d) => d.errors),
      col((d) => d.inputTokens.toString()),
      col((d) => d.outputTokens.toString()),
      col((d) => d.cachedTokens.toString()),
      col((d) => fromUnits(d.cost)),
      col((d) => d.latencyMsSum.toString()),
    ],
  );
}

// The UsageRecord columns a batch insert writes, with their Postgres array types and defaults (the schema's).
const RECORD_COLUMNS: [keyof UsageRow, string, (r: UsageRow) => unknown][] = [
  ["requestId", "text", (r) => r.requestId],
  ["at", "timestamp(3)", (r) => (r.at === undefined ? newDate() : new Date(r.at)).toISOString().replace("Z", "")],
  ["workspaceId", "text", (r) => r.workspaceId],
  ["virtualKeyId", "text", (r) => r.virtualKeyId ?? null],
  ["userId", "text", (r) => r.userId ?? null],
  ["agentId", "text", (r) => r.agentId ?? null],
  ["model", "text", (r) => r.model],
  ["modelId", "text", (r) => r.modelId ?? null],
  ["platformId", "text", (r) => r.platformId ?? null],
  ["deploymentId", "text", (r) => r.deploymentId ?? null],
  ["upstreamModel", "text", (r) => r.upstreamModel ?? null],
  ["endpoint", "text", (r) => r.endpoint ?? "chat.completions"],
  ["status", "int", (r) => r.status],
  ["outcome", "text", (r) => r.outcome],
  ["errorCode", "text", (r) => r.errorCode ?? null],
  ["attempts", "jsonb", (r) => JSON.stringify(r.attempts ?? [])],
  ["inputTokens", "int", (r) => r.inputTokens ?? 0],
  ["outputTokens", "int", (r) => r.outputTokens ?? 0],
  ["cachedTokens", "int", (r) => r.cachedTokens ?? 0],
  ["estimated", "boolean", (r) => r.estimated ?? false],
  ["costUsd", "numeric", (r) => (r.costUsd === undefined ? "0" : new Prisma.Decimal(r.costUsd as string).toFixed(8))],
  ["latencyMs", "int", (r) => r.latencyMs],
  ["ttftMs", "int", (r) => r.ttftMs ?? null],
  ["streamed", "boolean", (r) => r.streamed ?? false],
];

const INSERT_SQL = `INSERT INTO "UsageRecord" ("id", ${RECORD_COLUMNS.map(([c]) => `"${c}"`).join(", ")})
  SELECT * FROM unnest($1::text[], ${RECORD_COLUMNS.map(([, t], i) => `$${i + 2}::${t}[]`).join(", ")})
  ON CONFLICT ("requestId") DO NOTHING
  RETURNING (extract(epoch FROM "at") * 1000)::bigint::text AS "atMs", "workspaceId", "virtualKeyId", "userId", "agentId", "model", "platformId",
    "deploymentId", "outcome", "inputTokens", "outputTokens", "cachedTokens", "costUsd"::text AS "cost", "latencyMs"`;

type Returned = Omit<Inserted, "at" | "costUsd"> & { atMs: string; cost: string };

let idSeq = 0;
// Randomness drawn 6 KB at a time: one randomBytes call per record cost ~10 us under load.
let randomPool = Buffer.alloc(0);
let poolAt = 0;
/** Ids shaped like Prisma's cuid() default (the column has no database default): time, a counter and randomness. */
function recordId(): string {
  idSeq = (idSeq + 1) % 1_679_616;
  if (poolAt + 6 > randomPool.length) {
    randomPool = crypto.randomBytes(6 * 1024);
    poolAt = 0;
  }
  poolAt += 6;
  return `c${clockNow().toString(36)}${idSeq.toString(36).padStart(4, "0")}${randomPool.toString("hex", poolAt - 6, poolAt)}`;
}

// COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL.
const copyValue = (v: unknown): string => {
  if (v === null || v === undefined) return "\\N";
  const t = typeof v === "string" ? v : typeof v === "boolean" ? (v ? "t" : "f") : String(v);
  return /[\\\t\n\r]/.test(t) ? t.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : t;
};
const COPY_SQL = `COPY "UsageRecord" ("id", ${RECORD_COLUMNS.map(([c]) => `"${c}"`).join(", ")}) FROM '/dev/blob'`;

/** The cost as the column stores it: 8 places, rounded half up ("d.dddddddd" strings, the metering's, as they are). */
const storedCost = (c: UsageRow["costUsd"]): string =>
  c === undefined ? "0.00000000" : typeof c === "string" && CANONICAL_COST.test(c) ? c : new Prisma.Decimal(c as string).toFixed(8);

/** What the database stores for a row (the column defaults and the cost rounded to 8 places), without asking it. */
function storedValues(r: UsageRow, at: Date, cost: string): Inserted {
  return {
    at,
    workspaceId: r.workspaceId,
    virtualKeyId: r.virtualKeyId ?? null,
    userId: r.userId ?? null,
    agentId: r.agentId ?? null,
    model: r.model,
    platformId: r.platformId ?? null,
    deploymentId: r.deploymentId ?? null,
    outcome: r.outcome,
    inputTokens: r.inputTokens ?? 0,
    outputTokens: r.outputTokens ?? 0,
    cachedTokens: r.cachedTokens ?? 0,
    costUsd: new Prisma.Decimal(cost),
    latencyMs: r.latencyMs,
  };
}

/**
 * The embedded database's fast path: one COPY per batch (about a quarter of the CPU of the INSERT ... unnest in
 * PGlite, which runs on the request thread) and the rollups from the rows themselves, in one transaction. A
 * request id that is already stored makes the COPY fail as a whole (unique violation): then null, and the caller
 * takes the INSERT ... ON CONFLICT DO NOTHING path, which skips it.
 */
async function copyRows(embedded: EmbeddedDb, rows: UsageRow[]): Promise<Inserted[] | null> {
  const now = newDate();
  const inserted: Inserted[] = [];
  const lines: string[] = [];
  for (const r of rows) {
    const at = r.at === undefined ? now : new Date(r.at);
    const cost = storedCost(r.costUsd);
    inserted.push(storedValues(r, at, cost));
    const values = [
      recordId(),
      ...RECORD_COLUMNS.map(([c, , get]) => (c === "at" ? at.toISOString().replace("Z", "") : c === "costUsd" ? cost : get(r))),
    ];
    lines.push(values.map(copyValue).join("\t"));
  }
  const steps: BatchStep[] = [{ sql: COPY_SQL, copyText: lines.join("\n") + "\n" }];
  await applyRollupDeltas(async (sql, params) => steps.push({ sql, params }), rollupDeltas(inserted));
  try {
    await embedded.batch(steps);
  } catch (e) {
    if ((e as { code?: string }).code === "23505") return null;
    throw e;
  }
  return inserted;
}

/**
 * Writes a batch of usage records and adds them to the hourly and daily rollups in one transaction (the metering
 * sink calls this off the request path, once a second and at shutdown). Records whose requestId is already
 * stored are skipped and not counted again, so a retried batch never counts twice. Returns what was inserted.
 * On PostgreSQL (and when a batch repeats a stored request id): one INSERT ... SELECT FROM unnest(arrays) ... ON
 * CONFLICT DO NOTHING RETURNING per batch, so the parameter count stays fixed whatever the batch size.
 */
export async function writeUsageRows(rows: UsageRow[]): Promise<Inserted[]> {
  if (!rows.length) return [];
  const { embedded } = dbHandle();
  if (embedded) {
    const copied = await copyRows(embedded, rows);
    if (copied) return copied;
  }
  const params = [rows.map(recordId), ...RECORD_COLUMNS.map(([, , get]) => rows.map(get))];
  return db.$transaction(
    async (tx) => {
      const returned = await tx.$queryRawUnsafe<Returned[]>(INSERT_SQL, ...params);
      const inserted: Inserted[] = returned.map(({ atMs, cost, ...r }) => ({
        ...r,
        at: new Date(Number(atMs)),
        costUsd: new Prisma.Decimal(cost),
      }));
      await applyRollupDeltas(prismaExec(tx), rollupDeltas(inserted));
      return inserted;
    },
    { timeout: 60_000 },
  );
}
