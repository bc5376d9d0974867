import crypto from "node:crypto";

const SAFE = /^[A-Za-z0-9._-]{8,64}$/;

/** Keeps a caller's well-formed X-Request-Id for tracing; otherwise makes a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && SAFE.test(given) ? given : `req_${crypto.randomUUID().replace(/-/g, "")}`;
}
