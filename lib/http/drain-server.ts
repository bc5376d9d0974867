import type http from "node:http";

// Graceful stop for the custom server: on SIGTERM it stops accepting connections, lets the requests in flight
// finish (streams included) within a grace period, and answers any new request that still arrives on a kept-alive
// connection with 503 and `Connection: close`, so a load balancer or client goes elsewhere. Only then does the
// server flush usage and close the database.

/** After the grace period the remaining connections are cut; their handlers get this long to record the outcome. */
const CUT_SETTLE_MS = 2_000;

export interface ServerDrain {
  /**
   * Counts a request in flight. Returns the function to call when its handler has settled (the request counts
   * until that and the response's close), or null when the server is draining: answer with `refuseWhileDraining`.
   */
  admit(res: http.ServerResponse): (() => void) | null;
  readonly draining: boolean;
  readonly inFlight: number;
  /** Stops accepting connections and waits up to `graceMs` for the requests in flight. */
  drain(graceMs: number): Promise<{ finished: boolean; cut: number }>;
  /** Ends the grace period at once (a second signal). */
  hurry(): void;
}

export function drainServer(server: http.Server): ServerDrain {
  let inFlight = 0;
  let draining = false;
  const live = new Set<http.ServerResponse>();
  let wake: (() => void) | null = null;

  const waitIdle = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (inFlight === 0) return resolve(true);
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        wake = null;
        resolve(inFlight === 0);
      };
      wake = finish;
    });

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    admit(res) {
      if (draining) return null;
      inFlight++;
      live.add(res);
      let open = 2;
      const settle = () => {
        if (--open > 0) return;
        live.delete(res);
        if (--inFlight === 0) wake?.();
      };
      res.once("close", settle);
      let settled = false;
      return () => {
        if (settled) return;
        settled = true;
        settle();
      };
    },
    async drain(graceMs) {
      draining = true;
      // No new connections (Node also closes the idle kept-alive ones here).
      server.close();
      // Answers not begun yet close their connection when done, so their clients send nothing more here.
      for (const res of live) if (!res.headersSent) res.setHeader("connection", "close");
      const finished = await waitIdle(graceMs);
      const cut = inFlight;
      if (!finished) {
        server.closeAllConnections();
        await waitIdle(CUT_SETTLE_MS);
      }
      server.closeAllConnections();
      return { finished, cut };
    },
    hurry() {
      wake?.();
    },
  };
}

/** The answer to a request that arrives on a kept-alive connection while the server drains. */
export function refuseWhileDraining(res: http.ServerResponse, pathname: string): void {
  const body =
    pathname === "/api/health"
      ? { status: "shutting down" }
      : pathname.startsWith("/api/v1/")
        ? { error: { message: "The server is shutting down; retry the request.", type: "service_unavailable", code: "shutting_down" } }
        : { title: "Shutting down", status: 503, detail: "The server is shutting down; retry the request." };
  const data = JSON.stringify(body);
  res.writeHead(503, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(data)),
    "cache-control": "no-store",
    "retry-after": "1",
    connection: "close",
  });
  res.end(data);
}
