import type { Timeouts } from "./upstream";

// Per-route upstream timeouts (ModelRoute.connectTimeoutMs / firstTokenTimeoutMs / totalTimeoutMs). A route
// without its own values uses the gateway's defaults. Connect bounds the TCP/TLS handshake; first token bounds
// the wait for the response headers and then for each body chunk (so a stream that never sends its first
// token, or stalls, is cut); total bounds the whole attempt. A timeout before anything reached the client fails
// over to the next route and shows in the attempt trace.

export const DEFAULT_CONNECT_MS = 10_000;
export const DEFAULT_FIRST_TOKEN_MS = 60_000;
export const DEFAULT_TOTAL_MS = 600_000;

export interface RouteTimeouts {
  connectMs: number | null;
  firstTokenMs: number | null;
  totalMs: number | null;
}

/** The timeouts of one attempt on `route`: its own where set, else `base` (the defaults). */
export function timeoutsFor(route: { timeouts?: RouteTimeouts | null }, base: Timeouts): Timeouts {
  const t = route.timeouts;
  if (!t || (t.connectMs === null && t.firstTokenMs === null && t.totalMs === null)) return base;
  return {
    connectMs: t.connectMs ?? base.connectMs ?? DEFAULT_CONNECT_MS,
    firstByteMs: t.firstTokenMs ?? base.firstByteMs,
    totalMs: t.totalMs ?? base.totalMs,
  };
}

/** What an attempt on a route waits for, each timeout its own value or the default (routes editor, trace). */
export function effectiveTimeouts(t: Partial<RouteTimeouts> | null | undefined) {
  return [
    { name: "connect", ms: t?.connectMs ?? DEFAULT_CONNECT_MS, isDefault: t?.connectMs == null },
    { name: "first token", ms: t?.firstTokenMs ?? DEFAULT_FIRST_TOKEN_MS, isDefault: t?.firstTokenMs == null },
    { name: "total", ms: t?.totalMs ?? DEFAULT_TOTAL_MS, isDefault: t?.totalMs == null },
  ];
}

/** "connect 10,000 ms (default) · first token 5,000 ms · total 120,000 ms". */
export const describeTimeouts = (t: Partial<RouteTimeouts> | null | undefined) =>
  effectiveTimeouts(t)
    .map((x) => `${x.name} ${x.ms.toLocaleString("en-US")} ms${x.isDefault ? " (default)" : ""}`)
    .join(" · ");
