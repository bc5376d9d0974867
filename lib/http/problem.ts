import { AppError, isAppError, type ErrorCode, type FieldProblem } from "../errors";
import { isDatabaseUnavailable } from "../db/errors";
import { logger } from "../log";

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

const TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "Validation failed",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  rate_limited: "Too many requests",
  unavailable: "Service unavailable",
  internal: "Internal error",
};

/** RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId: string;
  errors?: FieldProblem[];
}

const DB_RETRY_SECONDS = 5;
let lastDbLog = 0;

/**
 * The typed error an answer is made of: an AppError as it is, the database unreachable as `unavailable` (503,
 * Retry-After; logged at most every 10 s, since every request fails alike during the outage), anything else
 * as `internal` (logged in full).
 */
export function toAppError(e: unknown, requestId: string): AppError {
  if (isAppError(e)) return e;
  if (isDatabaseUnavailable(e)) {
    if (Date.now() - lastDbLog > 10_000) {
      lastDbLog = Date.now();
      logger.warn("database unreachable: admin API answers 503", { requestId, error: e });
    }
    return new AppError("unavailable", "The database is unreachable right now. Retry shortly.", { retryAfterSeconds: DB_RETRY_SECONDS });
  }
  logger.error("unhandled error", { requestId, error: e });
  return new AppError("internal", "Something went wrong on our side");
}

export function problemFor(e: unknown, ctx: { requestId: string; instance?: string }): Problem {
  return problemOf(toAppError(e, ctx.requestId), ctx);
}

function problemOf(err: AppError, ctx: { requestId: string; instance?: string }): Problem {
  const status = STATUS_BY_CODE[err.code];
  return {
    type: `https://switchboard.dev/problems/${err.code.replace(/_/g, "-")}`,
    title: TITLES[err.code],
    status,
    detail: err.message,
    code: err.code,
    ...(ctx.instance ? { instance: ctx.instance } : {}),
    requestId: ctx.requestId,
    ...(err.fields?.length ? { errors: err.fields } : {}),
  };
}

export function problemResponse(e: unknown, ctx: { requestId: string; instance?: string }): Response {
  const err = toAppError(e, ctx.requestId);
  const p = problemOf(err, ctx);
  const headers = new Headers({ "content-type": "application/problem+json", "x-request-id": ctx.requestId });
  if (err.retryAfterSeconds) headers.set("retry-after", String(err.retryAfterSeconds));
  if (p.status === 401) headers.set("www-authenticate", 'Bearer realm="switchboard-admin"');
  return new Response(JSON.stringify(p), { status: p.status, headers });
}
