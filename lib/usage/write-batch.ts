import { db } from "../db/client";
import { dbErrorReason, isDataError } from "../db/errors";
import { logger } from "../log";
import { newDate } from "../runtime/clock";
import { cleanText } from "./clean-text";
import { writeUsageRows, type UsageRow } from "./write";

// The metering sink writes through here. A batch the database refuses for its data (a row PostgreSQL cannot
// store) is halved until the refused rows stand alone; they are set aside as dead letters and everything else is
// written, so one bad record never holds up the ones behind it. Transient failures (the database down, a lost
// connection) are thrown: the sink keeps the batch and retries it, and rows an earlier attempt already wrote are
// skipped by their request id. The common case is one writeUsageRows call, as before.

const REASON_MAX = 1000;

type Inserted = Awaited<ReturnType<typeof writeUsageRows>>;
interface Refused {
  row: UsageRow;
  reason: string;
}

async function writeOrIsolate(rows: UsageRow[], refused: Refused[]): Promise<Inserted> {
  try {
    return await writeUsageRows(rows);
  } catch (e) {
    if (!isDataError(e)) throw e;
    if (rows.length === 1) {
      refused.push({ row: rows[0], reason: cleanText(dbErrorReason(e), REASON_MAX) });
      return [];
    }
    const mid = rows.length >>> 1;
    const first = await writeOrIsolate(rows.slice(0, mid), refused);
    const second = await writeOrIsolate(rows.slice(mid), refused);
    return first.concat(second);
  }
}

// JSON text keeps what jsonb would refuse: JSON.stringify escapes NUL and lone surrogates as plain ASCII.
const recordJson = (row: UsageRow) => JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/** Stores refused rows (a request id already set aside is skipped, so a retried batch adds nothing twice). */
export async function recordDeadLetters(refused: readonly Refused[]): Promise<void> {
  const at = newDate();
  const data = refused.map(({ row, reason }) => ({
    requestId: cleanText(String(row.requestId), 128),
    workspaceId: cleanText(String(row.workspaceId), 64),
    at,
    reason,
    record: recordJson(row),
  }));
  try {
    await db.usageDeadLetter.createMany({ data, skipDuplicates: true });
  } catch (e) {
    if (!isDataError(e)) throw e;
    // Cannot happen with the cleaned text above; if it does, losing these rows beats stopping all metering.
    logger.error("usage records could not be set aside; dropped", { requestIds: data.map((d) => d.requestId), error: dbErrorReason(e) });
  }
}

/** Writes a batch of usage records; rows the database refuses for their data become dead letters. Returns what was inserted. */
export async function writeUsageBatch(rows: UsageRow[]): Promise<Inserted> {
  const refused: Refused[] = [];
  const inserted = await writeOrIsolate(rows, refused);
  if (refused.length) {
    await recordDeadLetters(refused);
    logger.warn("usage records refused by the database were set aside", {
      count: refused.length,
      requestIds: refused.slice(0, 20).map((r) => String(r.row.requestId)),
      reason: refused[0].reason,
    });
  }
  return inserted;
}
