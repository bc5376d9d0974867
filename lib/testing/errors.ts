import { expect } from "vitest";
import { isAppError, type AppError, type ErrorCode } from "../errors";

/** Awaits `p`, expects it to fail with a domain error of `code`, and returns that error. */
export async function expectAppError(p: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<AppError> {
  let error: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a ${code} error`).toBeDefined();
  if (!isAppError(error)) throw error;
  expect(error.code, error.message).toBe(code);
  return error;
}
