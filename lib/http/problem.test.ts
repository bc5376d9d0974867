import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError, conflict, forbidden, notFound, type ErrorCode } from "../errors";
import { problemFor, problemResponse, STATUS_BY_CODE } from "./problem";

afterEach(() => vi.restoreAllMocks());
const quiet = () => vi.spyOn(process.stderr, "write").mockImplementation(() => true);

describe("problem documents", () => {
  it("map each error code to its HTTP status", () => {
    const expected: Record<ErrorCode, number> = {
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
    expect(STATUS_BY_CODE).toEqual(expected);
    for (const [code, status] of Object.entries(expected)) {
      const p = problemFor(new AppError(code as ErrorCode, "m"), { requestId: "req_1" });
      expect(p.status).toBe(status);
      expect(p.code).toBe(code);
      expect(p.type).toBe(`https://switchboard.dev/problems/${code.replace(/_/g, "-")}`);
    }
  });

  it("carries the message, request id, instance and field errors of a domain error", () => {
    const p = problemFor(conflict("A workspace with this name already exists", "name"), {
      requestId: "req_abc",
      instance: "/api/admin/workspaces",
    });
    expect(p).toEqual({
      type: "https://switchboard.dev/problems/conflict",
      title: "Conflict",
      status: 409,
      detail: "A workspace with this name already exists",
      code: "conflict",
      instance: "/api/admin/workspaces",
      requestId: "req_abc",
      errors: [{ path: "name", message: "A workspace with this name already exists" }],
    });
    expect(problemFor(notFound("Workspace"), { requestId: "r" }).detail).toBe("Workspace not found");
    expect(problemFor(forbidden(), { requestId: "r" }).status).toBe(403);
  });

  it("turns an unknown error into a 500 with a generic detail, leaking nothing", async () => {
    quiet();
    const internal = new Error('duplicate key value violates unique constraint "AdminToken_tokenHash_key" password=hunter2');
    const p = problemFor(internal, { requestId: "req_x" });
    expect(p.status).toBe(500);
    expect(p.code).toBe("internal");
    expect(p.detail).toBe("Something went wrong on our side");
    const res = problemResponse(internal, { requestId: "req_x" });
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(body).not.toMatch(/AdminToken|hunter2|constraint|at .*\.ts/);
    // A thrown non-Error value is handled the same way.
    expect(problemFor("a string", { requestId: "r" }).status).toBe(500);
    expect(problemFor(undefined, { requestId: "r" }).status).toBe(500);
  });

  it("does not trust a look-alike object as a domain error", () => {
    quiet();
    const fake = Object.assign(new Error("internal detail"), { code: "not_found" });
    expect(problemFor(fake, { requestId: "r" }).status).toBe(500);
  });

  it("is sent as application/problem+json with the request id header", async () => {
    const res = problemResponse(new AppError("validation_failed", "Bad", { fields: [{ path: "name", message: "Required" }] }), {
      requestId: "req_42",
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-request-id")).toBe("req_42");
    expect(await res.json()).toMatchObject({ errors: [{ path: "name", message: "Required" }], requestId: "req_42" });
  });

  it("adds Retry-After for rate_limited and WWW-Authenticate for 401", () => {
    const limited = problemResponse(new AppError("rate_limited", "Slow down", { retryAfterSeconds: 120 }), { requestId: "r" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("120");
    const unauth = problemResponse(new AppError("unauthenticated", "Sign in"), { requestId: "r" });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(unauth.headers.get("retry-after")).toBeNull();
  });
});
