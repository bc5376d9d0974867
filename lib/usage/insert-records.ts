import crypto from "node:crypto";
import type { Prisma } from "../db/generated/client";

// The bulk insert behind writeUsageRows: one INSERT ... SELECT FROM unnest(...) with one array parameter per
// column, whatever the batch size. Same result as `usageRecord.createManyAndReturn({ skipDuplicates: true })`
// (a row whose requestId or id is already stored is skipped and not returned), at a small fraction of its cost:
// Prisma's query compiler builds and interprets a plan per row, about half a millisecond each on the embedded
// database, which made metering the gateway's most expensive step.

type Row = Prisma.UsageRecordCreateManyInput;

const COLUMNS = [
  ["id", "text"], ["requestId", "text"], ["at", "timestamp(3)"], ["workspaceId", "text"], ["virtualKeyId", "text"], ["userId", "text"],
  ["agentId", "text"], ["model", "text"], ["modelId", "text"], ["platformId", "text"], ["deploymentId", "text"], ["upstreamModel", "text"],
  ["endpoint", "text"], ["status", "int"], ["outcome", "text"], ["errorCode", "text"], ["attempts", "jsonb"], ["inputTokens", "int"],
  ["outputTokens", "int"], ["cachedTokens", "int"], ["estimated", "bool"], ["costUsd", "numeric"], ["latencyMs", "int"], ["ttftMs", "int"],
  ["streamed", "bool"],
] as const;

let counter = 0;
/** A collision-resistant id in the shape of Prisma's cuid(): "c", time, a counter and randomness, base 36. */
export function usageRecordId(now = Date.now()): string {
  counter = (counter + 1) % 1_679_616;
  const rand = crypto.randomBytes(8).readBigUInt64BE().toString(36).padStart(13, "0").slice(-12);
  return `c${now.toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${rand}`;
}

const iso = (d: Date | string | undefined) => (d === undefined ? new Date() : new Date(d)).toISOString();
const decimal = (v: Row["costUsd"]) =>
  v === undefined || v === null ? "0" : typeof v === "object" ? (v as { toFixed(): string }).toFixed() : String(v);

/** One array per column, in COLUMNS order, with the schema's defaults filled in. */
function columnsOf(rows: readonly Row[]): unknown[][] {
  const cols: unknown[][] = COLUMNS.map(() => new Array(rows.length));
  rows.forEach((r, i) => {
    const v = [
      r.id ?? usageRecordId(), r.requestId, iso(r.at), r.workspaceId, r.virtualKeyId ?? null, r.userId ?? null,
      r.agentId ?? null, r.model, r.modelId ?? null, r.platformId ?? null, r.deploymentId ?? null, r.upstreamModel ?? null,
      r.endpoint ?? "chat.completions", r.status, r.outcome, r.errorCode ?? null, JSON.stringify(r.attempts ?? null), r.inputTokens ?? 0,
      r.outputTokens ?? 0, r.cachedTokens ?? 0, r.estimated ?? false, decimal(r.costUsd), r.latencyMs, r.ttftMs ?? null,
      r.streamed ?? false,
    ];
    for (let c = 0; c < v.length; c++) cols[c][i] = v[c];
  });
  return cols;
}

const INSERT_SQL = (returning: readonly string[]) =>
  `INSERT INTO "UsageRecord" (${COLUMNS.map(([n]) => `"${n}"`).join(",")})
   SELECT * FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(",")})
   ON CONFLICT DO NOTHING
   RETURNING ${returning.map((n) => `"${n}"`).join(",")}`;

/** Inserts the rows (skipping duplicates) and returns the `returning` columns of those inserted. */
export async function insertUsageRecords<T>(tx: Prisma.TransactionClient, rows: readonly Row[], returning: readonly string[]): Promise<T[]> {
  if (!rows.length) return [];
  return tx.$queryRawUnsafe<T[]>(INSERT_SQL(returning), ...columnsOf(rows));
}
