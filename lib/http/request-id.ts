import crypto from "node:crypto";

const SAFE = /^[A-Za-z0-9._-]{8,64}$/;

/** Keeps a caller's well-formed X-Request-Id for tracing; otherwise makes a new one. */
export function requestIdFrom(headers: Headers): string {
  return requestIdOf(headers.get("x-request-id"));
}

/** The same from a raw header value (node:http), without building a Headers object per request. */
export function requestIdOf(given: string | string[] | null | undefined): string {
  if (typeof given === "string" && SAFE.test(given)) return given;
  return `req_${crypto.randomUUID().replace(/-/g, "")}`;
}
