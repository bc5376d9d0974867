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

// Prisma's codes for a database it cannot reach or that went away: P1001 can't reach, P1002 timed out reaching,
// P1008 operation timed out, P1017 the server closed the connection, P2024 no connection free in the pool.
const UNREACHABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// What @prisma/adapter-pg calls a lost or refused connection.
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH"]);
// pg's own words when a connection dies under a query, Prisma's for one it never got, and the embedded
// database's thread stopping (lib/db/threaded.ts).
const UNREACHABLE_TEXT =
  /Connection terminated|Can't reach database server|Server has closed the connection|Timed out fetching a new connection|the embedded database thread exited|Client has encountered a connection error/i;

/**
 * True when the error says the database could not be reached or went away (not that a query was wrong): the
 * caller gets a 503 and should retry. SQLSTATE 08xxx (connection exceptions), 57P01-57P03 (shutdown, crash,
 * not accepting connections yet) and 53300 (too many connections) count as unreachable too.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as (DbErrorShape & { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } }; cause?: { kind?: unknown } }) | null;
  if (!err || typeof err !== "object") return false;
  if (err.name === "PrismaClientInitializationError") return true;
  if (typeof err.code === "string" && (UNREACHABLE_CODES.has(err.code) || SOCKET_CODES.has(err.code))) return true;
  const kind = err.meta?.driverAdapterError?.cause?.kind ?? err.cause?.kind;
  if (typeof kind === "string" && UNREACHABLE_KINDS.has(kind)) return true;
  const state = sqlStateOf(e);
  if (state && (state.startsWith("08") || state === "57P01" || state === "57P02" || state === "57P03" || state === "53300")) return true;
  if (err.cause && typeof (err.cause as { code?: unknown }).code === "string" && SOCKET_CODES.has((err.cause as { code: string }).code))
    return true;
  return typeof err.message === "string" && UNREACHABLE_TEXT.test(err.message);
}
