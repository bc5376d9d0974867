import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { drainServer, refuseWhileDraining, type ServerDrain } from "./drain-server";

// A server wired as scripts/server.ts wires it: every request admitted (or refused while draining), its handler
// settled when done. /slow answers after 300 ms (/slower after 1 s), /stream sends its head at once and ends after 300 ms, /hang never.
let server: http.Server;
let drain: ServerDrain;
let port = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start() {
  const s = http.createServer(async (req, res) => {
    const settled = d.admit(res);
    if (!settled) return refuseWhileDraining(res, req.url ?? "/");
    try {
      if (req.url === "/slow" || req.url === "/slower") {
        await sleep(req.url === "/slow" ? 300 : 1_000);
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("done");
      } else if (req.url === "/stream") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: 1\n\n");
        await sleep(300);
        res.end("data: [DONE]\n\n");
      } else if (req.url === "/hang") {
        await new Promise((r) => res.on("close", r));
      } else {
        res.end("ok");
      }
    } finally {
      settled();
    }
  });
  const d = drainServer(s);
  server = s;
  drain = d;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
}

afterEach(() => {
  server.close();
  server.closeAllConnections();
});

/** Waits until `n` requests are in flight (connections take a moment on a busy machine). */
async function inFlight(n: number) {
  for (let i = 0; i < 200 && drain.inFlight < n; i++) await sleep(25);
  expect(drain.inFlight).toBe(n);
}

function get(path: string, agent: http.Agent): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, agent }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** Raw HTTP/1.1 on one socket: each request is sent after the previous answer is complete. */
function rawClient() {
  const socket = net.connect(port, "127.0.0.1");
  let buf = "";
  let waiting: (() => void) | null = null;
  socket.on("data", (c) => {
    buf += c;
    waiting?.();
  });
  let isClosed = false;
  const closed = new Promise<void>((r) =>
    socket.on("close", () => {
      isClosed = true;
      waiting?.();
      r();
    }),
  );
  return {
    closed,
    async request(path: string, complete: (text: string) => boolean): Promise<string> {
      buf = "";
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      while (!complete(buf)) {
        if (isClosed) throw new Error(`connection closed after ${JSON.stringify(buf)}`);
        await new Promise<void>((r) => (waiting = r));
      }
      return buf;
    },
    destroy: () => socket.destroy(),
  };
}

describe("server drain", () => {
  it("lets requests in flight finish, with Connection: close, and refuses new connections", async () => {
    await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const calls = Array.from({ length: 10 }, () => get("/slow", agent));
    await inFlight(10);
    const drained = drain.drain(5_000);
    const results = await Promise.all(calls);
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.every((r) => r.body === "done" && r.connection === "close")).toBe(true);
    expect(await drained).toEqual({ finished: true, cut: 0 });
    await expect(get("/", new http.Agent())).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });

  it("answers a new request on a kept-alive connection with 503 and closes it; health says shutting down", async () => {
    await start();
    const client = rawClient();
    // The stream's head went out before the drain began: its connection stays open for another request.
    const streaming = client.request("/stream", (t) => t.includes("0\r\n\r\n"));
    // Still in flight when the stream ends, so the server is still draining for the next request.
    const slow = get("/slower", new http.Agent());
    await inFlight(2);
    const drained = drain.drain(5_000);
    expect(await streaming).toContain("data: [DONE]");
    const refused = await client.request("/api/health", (t) => t.includes('"shutting down"}'));
    expect(refused).toMatch(/^HTTP\/1.1 503/);
    expect(refused.toLowerCase()).toContain("connection: close");
    await client.closed;
    expect((await slow).status).toBe(200);
    expect(await drained).toEqual({ finished: true, cut: 0 });
  });

  it("cuts what is still running when the grace period ends", async () => {
    await start();
    const hung = Array.from({ length: 3 }, () => get("/hang", new http.Agent()).catch((e: Error) => e));
    await inFlight(3);
    const t0 = Date.now();
    expect(await drain.drain(300)).toEqual({ finished: false, cut: 3 });
    expect(Date.now() - t0).toBeLessThan(2_000);
    for (const h of await Promise.all(hung)) expect(h).toBeInstanceOf(Error);
    expect(drain.inFlight).toBe(0);
  });

  it("ends the grace period at once when hurried", async () => {
    await start();
    const hung = get("/hang", new http.Agent()).catch((e: Error) => e);
    await inFlight(1);
    const t0 = Date.now();
    const drained = drain.drain(60_000);
    drain.hurry();
    expect(await drained).toEqual({ finished: false, cut: 1 });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await hung).toBeInstanceOf(Error);
  });
});
