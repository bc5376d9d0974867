/** True for a unique-constraint violation (Prisma P2002), however the driver adapter reports it. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string; originalCode?: string } } | null;
  return err?.code === "P2002" || err?.cause?.originalCode === "23505" || err?.cause?.code === "23505";
}

interface DbErrorShape {
  name?: string;
  code?: unknown;
  message?: string;
  cause?: { code?: unknown; originalCode?: unknown; message?: unknown; originalMessage?: unknown };
  meta?: { driverAdapterError?: { cause?: DbErrorShape["cause"] } };
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The PostgreSQL SQLSTATE of an error, however it arrived: PGlite's own error (`code`), a driver adapter error
 * (`cause.originalCode`), or Prisma's raw-query error wrapping one (`meta.driverAdapterError`). Null when the
 * database never answered (connection refused, a closed pool, a dead thread).
 */
export function sqlStateOf(e: unknown): string | null {
  const err = e as DbErrorShape | null;
  const cause = err?.meta?.driverAdapterError?.cause ?? err?.cause;
  const code = cause?.originalCode ?? cause?.code ?? (err?.name?.startsWith("PrismaClient") ? undefined : err?.code);
  return typeof code === "string" && SQLSTATE.test(code) ? code : null;
}

/**
 * True when the rows themselves made the statement fail, so writing them again can never work: a data exception
 * (22xxx: NUL in text, a bad escape in jsonb, a number out of range), an integrity violation other than a
 * duplicate key (23xxx but 23505, which callers skip or retry), an index row too large (54000), or a value that
 * could not be encoded before it reached the database (a RangeError or SyntaxError from a date or number, a
 * DecimalError). Anything else (the database down, a lost connection, a deadlock) is transient.
 */
export function isDataError(e: unknown): boolean {
  const state = sqlStateOf(e);
  if (state) return state.startsWith("22") || (state.startsWith("23") && state !== "23505") || state === "54000";
  return e instanceof RangeError || e instanceof SyntaxError || (e instanceof Error && e.message.startsWith("[DecimalError]"));
}

/** What the database said, without Prisma's invocation text: "22021: invalid byte sequence ...". */
export function dbErrorReason(e: unknown): string {
  const err = e as DbErrorShape | null;
  const cause = err?.meta?.driverAdapterError?.cause ?? err?.cause;
  const message = cause?.originalMessage ?? cause?.message ?? err?.message ?? String(e);
  const state = sqlStateOf(e);
  return state ? `${state}: ${String(message)}` : `${err?.name ?? "Error"}: ${String(message)}`;
}
