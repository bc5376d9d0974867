// Typed domain errors. Route wrappers map `code` to an HTTP status (lib/http/problem.ts); the message is
// safe to show to the caller and must never contain a secret.
export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal";

export interface FieldProblem {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldProblem[];
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, opts: { fields?: FieldProblem[]; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = opts.fields;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (why = "You do not have permission to do this") => new AppError("forbidden", why);
export const conflict = (message: string, path?: string) => new AppError("conflict", message, path ? { fields: [{ path, message }] } : {});

export function isAppError(e: unknown): e is AppError {
  return e instanceof Error && (e as AppError).name === "AppError" && typeof (e as AppError).code === "string";
}
