import crypto from "node:crypto";
import { Prisma } from "../db/generated/client";

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
// Random per process (so two instances never collide); within a process, time and a counter make ids unique.
const PROCESS_TAG = crypto.randomBytes(6).readUIntBE(0, 6).toString(36).padStart(10, "0").slice(-8);
/** A unique id in the shape of Prisma's cuid(): "c", time, a counter and randomness, base 36 (25 characters). */
export function usageRecordId(now = Date.now()): string {
  counter = (counter + 1) % 1_679_616;
  const rand = Math.floor(Math.random() * 1_679_616).toString(36).padStart(4, "0");
  return `c${now.toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${PROCESS_TAG}${rand}`;
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

// Only the request ids come back: the stored values of the inserted rows are known already (what was sent, as
// the columns hold it), and reading every column back through the driver cost as much as the insert itself.
const INSERT_SQL = `INSERT INTO "UsageRecord" (${COLUMNS.map(([n]) => `"${n}"`).join(",")})
   SELECT * FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(",")})
   ON CONFLICT DO NOTHING
   RETURNING "requestId"`;

const COLUMN_INDEX = new Map<string, number>(COLUMNS.map(([name], c) => [name, c]));

/** Column `name` of row `i` as the database returns it once stored (types, defaults and the column's scale). */
function stored(cols: unknown[][], i: number, name: string): unknown {
  const c = COLUMN_INDEX.get(name);
  if (c === undefined) throw new Error(`UsageRecord has no column ${name}`);
  const v = cols[c][i];
  if (v === null) return null;
  const type = COLUMNS[c][1];
  if (type === "jsonb") return JSON.parse(v as string);
  if (type === "timestamp(3)") return new Date(v as string);
  if (type === "numeric") return new Prisma.Decimal(v as string).toDecimalPlaces(8);
  return v;
}

/** Inserts the rows (skipping any whose requestId or id is stored already) and returns the `returning` columns of those inserted. */
export async function insertUsageRecords<T>(tx: Prisma.TransactionClient, rows: readonly Row[], returning: readonly string[]): Promise<T[]> {
  if (!rows.length) return [];
  const cols = columnsOf(rows);
  const ids = await tx.$queryRawUnsafe<{ requestId: string }[]>(INSERT_SQL, ...cols);
  const inserted = new Set(ids.map((r) => r.requestId));
  const out: T[] = [];
  const requestIds = cols[1] as string[];
  for (let i = 0; i < rows.length; i++) {
    // A requestId twice in one batch is inserted once: the first row is the one stored.
    if (!inserted.delete(requestIds[i])) continue;
    const picked: Record<string, unknown> = {};
    for (const k of returning) picked[k] = stored(cols, i, k);
    out.push(picked as T);
  }
  return out;
}
