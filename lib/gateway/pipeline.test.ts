import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { newPickState } from "../deployments/pick-instance";
import { runAttempts, type GwResponse, type RunOptions } from "./pipeline";
import type { GatewaySnapshot, SnapDeployment, SnapInstance, SnapModel, SnapRoute } from "./snapshot";
import { ClientGone } from "./types";

// The attempt loop against a local upstream whose behaviour is chosen by the instance URL's first path segment:
// every outcome an attempt can have (served, partial, client gone, final, failover) and every "no route left"
// answer, with the trace, breaker and passive-health side effects the handler and the usage record rely on.

const refused = vi.hoisted(() => [] as { instanceId: string; error: string }[]);
vi.mock("../deployments/passive-health", () => ({
  noteRefusedConnection: (instanceId: string, error: string) => refused.push({ instanceId, error }),
}));

const completion = JSON.stringify({
  id: "c",
  object: "chat.completion",
  created: 1,
  model: "up",
  choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 1 },
});
const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "up", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

let upstream: http.Server;
let base = "";
let dead = "";
/** Requests the upstream answered, by mode. */
const seen: string[] = [];
beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const mode = String(req.url).split("/")[1];
    seen.push(mode);
    req.resume();
    req.on("end", () => {
      switch (mode) {
        case "ok":
          res.writeHead(200, { "content-type": "application/json" });
          return res.end(completion);
        case "s503":
        case "s500":
        case "s400":
          res.writeHead(Number(mode.slice(1)), { "content-type": "application/json" });
          return res.end(JSON.stringify({ error: { message: `failed ${mode}`, type: "x", code: "bad_thing" } }));
        case "s429":
          res.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
          return res.end("{}");
        case "s307":
          res.writeHead(307, { location: "http://elsewhere.example/" });
          return res.end();
        case "malformed":
          res.writeHead(200, { "content-type": "application/json" });
          return res.end("{not json");
        case "hang":
          return; // never answers (first-token timeout)
        case "stream":
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(chunk("he"));
          res.write(chunk("llo"));
          return res.end("data: [DONE]\n\n");
        case "breaks":
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(chunk("he"));
          return setTimeout(() => res.destroy(), 30);
        case "breaks-early":
          res.writeHead(200, { "content-type": "text/event-stream" });
          return setTimeout(() => res.destroy(), 10);
        case "slow":
          res.writeHead(200, { "content-type": "application/json" });
          return setTimeout(() => res.end(completion), 300);
      }
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  dead = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  await new Promise((r) => s.close(r));
});
afterAll(() => upstream.close());
beforeEach(() => {
  refused.length = 0;
  seen.length = 0;
});

const id = () => crypto.randomUUID();

/** One deployment per route, each with the given instances (modes, or full URLs), in priority order. */
function setup(
  routesOf: (string | { url: string; proven?: boolean })[][],
  timeouts: SnapRoute["timeouts"] = { connectMs: null, firstTokenMs: null, totalMs: null },
) {
  const deployments = new Map<string, SnapDeployment>();
  const routes: SnapRoute[] = routesOf.map((instances, i) => {
    const d: SnapDeployment = {
      id: id(),
      name: `dep-${i}`,
      strategy: "round-robin",
      internal: true,
      pick: newPickState(),
      instances: instances.map((m): SnapInstance => {
        const spec = typeof m === "string" ? { url: `${base}/${m}/v1` } : m;
        return { id: id(), url: spec.url, weight: 1, inRotation: true, proven: spec.proven ?? true };
      }),
    };
    deployments.set(d.id, d);
    return { id: id(), priority: i, weight: 1, upstreamModel: "up", platformId: null, deploymentId: d.id, timeouts };
  });
  const model: SnapModel = {
    id: id(),
    name: "m",
    active: true,
    contextWindow: null,
    maxOutputTokens: null,
    prices: [],
    created: 1,
    routes,
  };
  const snap: GatewaySnapshot = {
    version: 1,
    builtAt: 0,
    keysByHash: new Map(),
    models: new Map([["m", model]]),
    platforms: new Map(),
    deployments,
    storeBodies: new Set(),
  };
  return { snap, model, deployments: [...deployments.values()] };
}

function recorder() {
  const r = { status: 0, headers: {} as Record<string, string>, body: "", ended: false };
  const res: GwResponse = {
    head: (s, h) => {
      r.status = s;
      r.headers = h;
    },
    write: (c) => {
      r.body += c;
    },
    end: (c) => {
      if (c) r.body += c;
      r.ended = true;
    },
  };
  return { r, res };
}

function run(s: ReturnType<typeof setup>, extra: Partial<RunOptions> = {}) {
  const { r, res } = recorder();
  const signal = new ClientGone();
  const stream = extra.stream ?? false;
  const result = runAttempts({
    snap: s.snap,
    model: s.model,
    body: { model: "m", messages: [{ role: "user", content: "hi" }], ...(stream ? { stream: true } : {}) },
    kind: "chat",
    stream,
    streamUsage: false,
    requestId: "req",
    signal,
    res,
    started: performance.now(),
    ...extra,
  });
  return { result, r, signal };
}

const traceOf = (a: { status: number | null; error: string | null }[]) => a.map((t) => [t.status, t.error]);

describe("runAttempts", () => {
  it("serves a JSON answer from the first route and leaves no request in flight", async () => {
    const s = setup([["ok"]]);
    const { result, r } = run(s);
    const x = await result;
    expect(x).toMatchObject({ status: 200, outcome: "success", errorCode: null, error: null, usage: { inputTokens: 3, outputTokens: 1 } });
    expect(x.served?.instance?.id).toBe(s.deployments[0].instances[0].id);
    expect(traceOf(x.attempts)).toEqual([[200, null]]);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).choices[0].message.content).toBe("hi");
    expect([...s.deployments[0].pick.inFlight.values()]).toEqual([0]);
  });

  it("fails over on 503, 500 and a malformed answer, and records each attempt", async () => {
    const s = setup([["s503"], ["s500"], ["malformed"], ["ok"]]);
    const x = await run(s).result;
    expect(x).toMatchObject({ status: 200, outcome: "success" });
    expect(traceOf(x.attempts)).toEqual([
      [503, "upstream error (HTTP 503)"],
      [500, "upstream error (HTTP 500)"],
      [200, "malformed upstream answer"],
      [200, null],
    ]);
    expect(x.served?.deploymentId).toBe(s.deployments[3].id);
  });

  it("answers an upstream 400 at once, in the upstream's words, without failover", async () => {
    const s = setup([["s400"], ["ok"]]);
    const x = await run(s).result;
    expect(x).toMatchObject({ status: 400, outcome: "error", errorCode: "bad_thing", served: null });
    expect(x.error?.toJSON()).toMatchObject({ error: { message: "failed s400", code: "bad_thing" } });
    expect(traceOf(x.attempts)).toEqual([[400, "upstream refused the request (HTTP 400)"]]);
    expect(seen).toEqual(["s400"]);
  });

  it("answers an upstream redirect with 502 upstream_redirect, without following it or failing over", async () => {
    const s = setup([["s307"], ["ok"]]);
    const x = await run(s).result;
    expect(x).toMatchObject({ status: 502, outcome: "error", errorCode: "upstream_redirect" });
    expect(x.error?.status).toBe(502);
    expect(traceOf(x.attempts)).toEqual([[307, "upstream redirected (HTTP 307)"]]);
    expect(seen).toEqual(["s307"]);
  });

  it("answers 429 with the upstream's Retry-After when every upstream is rate limited", async () => {
    const s = setup([["s429"], ["s429"]]);
    const x = await run(s).result;
    expect(x).toMatchObject({ status: 429, outcome: "error", errorCode: "upstream_rate_limited" });
    expect(x.error?.opts.retryAfterSeconds).toBe(7);
    expect(x.attempts).toHaveLength(2);
  });

  it("answers 502 upstream_error when every upstream failed, 503 when there was none to try", async () => {
    const x = await run(setup([["s500"], ["s429"]])).result;
    expect(x).toMatchObject({ status: 502, outcome: "error", errorCode: "upstream_error" });
    expect(x.error?.message).toBe("Every upstream for `m` failed (2 attempts).");
    const none = await run(setup([])).result;
    expect(none).toMatchObject({ status: 503, errorCode: "no_upstream_available", attempts: [] });
    expect(none.error?.opts.retryAfterSeconds).toBe(5);
  });

  it("answers 504 when the last failure was a timeout (the route's own first-token timeout)", async () => {
    const s = setup([["hang"]], { connectMs: null, firstTokenMs: 100, totalMs: null });
    const x = await run(s).result;
    expect(x).toMatchObject({ status: 504, errorCode: "upstream_timeout" });
    expect(x.attempts).toHaveLength(1);
    // The trace names the timeout that fired and its value.
    expect(x.attempts[0]).toMatchObject({ status: null, error: "first-token timeout (100 ms): no response headers" });
  });

  it("stops after six attempts", async () => {
    const s = setup([
      ["s500", "s500", "s500", "s500"],
      ["s500", "s500", "s500", "s500"],
    ]);
    const x = await run(s).result;
    expect(x.attempts).toHaveLength(6);
    expect(x.status).toBe(502);
    for (const d of s.deployments) expect([...d.pick.inFlight.values()].every((n) => n === 0)).toBe(true);
  });

  it("notes a refused connection to an unproven instance, not to a proven one", async () => {
    const s = setup([
      [
        { url: `${dead}/v1`, proven: false },
        { url: `${dead}/v1`, proven: true },
      ],
    ]);
    const x = await run(s).result;
    expect(x.attempts).toHaveLength(2);
    const unproven = s.deployments[0].instances[0].id;
    expect(refused).toEqual([{ instanceId: unproven, error: expect.any(String) }]);
    expect(x.attempts.every((a) => a.status === null && a.error)).toBe(true);
  });

  it("answers 499 client_aborted when the client goes away during a call, without failover", async () => {
    const s = setup([["slow"], ["ok"]]);
    const { result, signal } = run(s);
    setTimeout(() => signal.abort(), 50);
    const x = await result;
    expect(x).toMatchObject({ status: 499, outcome: "client_aborted", errorCode: "client_aborted", served: null, error: null });
    expect(traceOf(x.attempts)).toEqual([[null, "client disconnected"]]);
    expect(seen).toEqual(["slow"]);
  });

  it("streams a clean answer, and fails over a stream that broke before anything reached the client", async () => {
    const s = setup([["breaks-early"], ["stream"]]);
    const { result, r } = run(s, { stream: true });
    const x = await result;
    expect(x).toMatchObject({ status: 200, outcome: "success", errorCode: null, outputText: "hello" });
    expect(x.ttftMs).not.toBeNull();
    expect(x.attempts).toHaveLength(2);
    // A failure before the client had bytes records no status, even though the upstream answered 200.
    expect(x.attempts[0].status).toBeNull();
    expect(x.attempts[0].error).toBeTruthy();
    expect(r.body.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("ends a stream that broke after the client had bytes with an error event: partial, no failover", async () => {
    const s = setup([["breaks"], ["stream"]]);
    const { result, r } = run(s, { stream: true });
    const x = await result;
    expect(x).toMatchObject({ status: 200, outcome: "partial", errorCode: "stream_interrupted", outputText: "he" });
    expect(x.served?.deploymentId).toBe(s.deployments[0].id);
    expect(traceOf(x.attempts)).toEqual([[200, "The upstream stream broke off before the answer was complete."]]);
    expect(r.body).toContain('"code":"stream_interrupted"');
    expect(r.ended).toBe(true);
    expect(seen).toEqual(["breaks"]);
  });
});
