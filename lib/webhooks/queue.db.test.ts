import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, tokenActor } from "../testing/factories";
import { createVirtualKey } from "../virtual-keys/create-key";
import { createAgent } from "../agents/create-agent";
import { matchLeanRoute } from "../dataplane/router";
import * as v1Route from "../../app/api/v1/[...path]/route";
import { endpointRow, queueEvent } from "./delivery-fixtures";
import { waitForResult } from "./sync-wait";

// The pull queue through the real lean handler on a node:http server, as the custom server dispatches it.
useTestDb();

let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: "req_events_test", pathname });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

interface Ev {
  id: string;
  endpointId: string;
  endpoint: string;
  body: unknown;
  receiveCount: number;
  mode: string;
  contentType: string;
  headers: Record<string, string>;
  replayOfId: string | null;
  receivedAt: string;
}
interface Answer {
  data: Ev[];
  error?: { message: string; code: string; param: string | null };
  deliveryStatus?: string;
  ackedAt?: string;
}

async function setup(mode: "async" | "sync" = "async") {
  const ws = await createWorkspace();
  const { value: key } = await createVirtualKey({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: "bot", owner: "", allowedModels: [] },
  });
  const worker = await createAgent({ actor: tokenActor, kind: "worker", workspaceId: ws.id, input: { name: "triage" } });
  const endpoint = await endpointRow({ workspaceId: ws.id, target: { type: "worker", id: worker.id }, mode });
  return { ws, key, worker, endpoint };
}

const call = async (key: string, method: string, path: string, json?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(json !== undefined ? { "content-type": "application/json" } : {}) },
    body: json !== undefined ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Answer };
};
const pull = (key: string, query: string) => call(key, "GET", `/api/v1/events${query}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("GET /api/v1/events and ack", () => {
  it("hands out queued events with their body, endpoint and mode, by worker id or name", async () => {
    const { key, worker, endpoint } = await setup();
    const ev = await queueEvent(endpoint, { body: '{"a":1}' });
    const form = await queueEvent(endpoint, { body: "a=1&b=two", contentType: "application/x-www-form-urlencoded" });
    const { status, body } = await pull(key, `?worker=${worker.id}`);
    expect(status).toBe(200);
    expect(body.data).toEqual([
      expect.objectContaining({
        id: ev.id,
        endpointId: endpoint.id,
        endpoint: endpoint.name,
        body: { a: 1 },
        contentType: "application/json",
        receiveCount: 1,
        mode: "async",
        replayOfId: null,
      }),
      expect.objectContaining({ id: form.id, body: "a=1&b=two", contentType: "application/x-www-form-urlencoded" }),
    ]);
    expect(body.data[0].headers["user-agent"]).toBe("test");
    // Hidden for the visibility timeout: the next receive (by name, any case) gets nothing.
    expect((await pull(key, "?worker=TRIAGE")).body.data).toEqual([]);
  });

  it("never gives two concurrent pollers the same event", async () => {
    const { key, worker, endpoint } = await setup();
    const queued = [];
    for (let i = 0; i < 24; i++) queued.push((await queueEvent(endpoint, { signal: false })).id);
    const seen: string[] = [];
    const poller = async () => {
      for (;;) {
        const { body } = await pull(key, `?worker=${worker.id}&limit=5`);
        if (!body.data.length) return;
        seen.push(...body.data.map((e) => e.id));
      }
    };
    await Promise.all([poller(), poller(), poller()]);
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
    expect([...seen].sort()).toEqual([...queued].sort());
  });

  it("bounds one answer's bodies to 8 MB, always handing out at least one event, the rest on the next receive", async () => {
    const { key, worker, endpoint } = await setup();
    const t = Date.now() - 60_000;
    const mb = (n: number) => JSON.stringify({ blob: "x".repeat(n * 1024 * 1024) });
    const huge = await queueEvent(endpoint, { body: mb(9), now: new Date(t) });
    const a = await queueEvent(endpoint, { body: mb(3), now: new Date(t + 1) });
    const b = await queueEvent(endpoint, { body: mb(3), now: new Date(t + 2) });
    const c = await queueEvent(endpoint, { body: mb(3), now: new Date(t + 3) });
    const ids = async () => (await pull(key, `?worker=${worker.id}&limit=10`)).body.data.map((e) => e.id);
    expect(await ids()).toEqual([huge.id]);
    expect(await ids()).toEqual([a.id, b.id]);
    expect(await ids()).toEqual([c.id]);
    expect(await ids()).toEqual([]);
  });

  it("hands an unacknowledged event out again after its visibility timeout; an ack stops that for good", async () => {
    const { key, worker, endpoint } = await setup();
    const ev = await queueEvent(endpoint);
    expect((await pull(key, `?worker=${worker.id}&visibility=1`)).body.data.map((e) => e.id)).toEqual([ev.id]);
    expect((await pull(key, `?worker=${worker.id}`)).body.data).toEqual([]);
    await sleep(1100);
    const again = (await pull(key, `?worker=${worker.id}&visibility=1`)).body.data;
    expect(again.map((e) => [e.id, e.receiveCount])).toEqual([[ev.id, 2]]);

    const ack = await call(key, "POST", `/api/v1/events/${ev.id}/ack`);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: ev.id, deliveryStatus: "acked" });
    // Idempotent: the same answer again.
    const ack2 = await call(key, "POST", `/api/v1/events/${ev.id}/ack`);
    expect(ack2).toEqual(ack);
    await sleep(1100);
    expect((await pull(key, `?worker=${worker.id}`)).body.data).toEqual([]);
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: ev.id } });
    expect(row).toMatchObject({ deliveryStatus: "acked", receiveCount: 2 });
    expect(row.ackedAt?.toISOString()).toBe(ack.body.ackedAt);
    // Giving back an acknowledged event is refused.
    expect((await call(key, "POST", `/api/v1/events/${ev.id}/nack`)).status).toBe(409);
  });

  it("gives a received event back at once with nack", async () => {
    const { key, worker, endpoint } = await setup();
    const ev = await queueEvent(endpoint);
    await pull(key, `?worker=${worker.id}&visibility=600`);
    expect((await call(key, "POST", `/api/v1/events/${ev.id}/nack`)).status).toBe(200);
    expect((await pull(key, `?worker=${worker.id}`)).body.data.map((e) => e.id)).toEqual([ev.id]);
  });

  it("long-polls: returns as soon as an event is queued, or empty when the wait ends", async () => {
    const { key, worker, endpoint } = await setup();
    const started = Date.now();
    const polling = pull(key, `?worker=${worker.id}&wait=20`);
    await sleep(300);
    const ev = await queueEvent(endpoint);
    const { status, body } = await polling;
    expect(status).toBe(200);
    expect(body.data.map((e) => e.id)).toEqual([ev.id]);
    // Loose bound: far less than the 20 s wait.
    expect(Date.now() - started).toBeLessThan(10_000);
    const emptyStart = Date.now();
    expect((await pull(key, `?worker=${worker.id}&wait=1`)).body.data).toEqual([]);
    expect(Date.now() - emptyStart).toBeGreaterThanOrEqual(900);
  });

  it("answers 400 with a precise message for a bad query, 401 for a bad key, 405 for a wrong method", async () => {
    const { key, worker } = await setup();
    const cases: [string, string, string | null][] = [
      ["", "Give exactly one of worker= or workflow=.", null],
      [`?worker=${worker.id}&workflow=x`, "Give exactly one of worker= or workflow=.", null],
      [`?worker=${worker.id}&limit=500`, "limit must be at most 100.", "limit"],
      [`?worker=${worker.id}&limit=0`, "limit must be at least 1.", "limit"],
      [`?worker=${worker.id}&wait=31`, "wait must be at most 30.", "wait"],
      [`?worker=${worker.id}&wait=soon`, "wait must be a whole number of seconds.", "wait"],
      [`?worker=${worker.id}&visibility=-1`, "visibility must be a whole number of seconds.", "visibility"],
      [`?worker=${worker.id}&color=red`, "Unknown query parameter: color.", null],
      [`?worker=${worker.id}&worker=x`, "The query parameter worker is given more than once.", "worker"],
    ];
    for (const [query, message, param] of cases) {
      const { status, body } = await pull(key, query);
      expect([query, status, body.error?.message, body.error?.param]).toEqual([query, 400, message, param]);
    }
    expect((await pull(key, "?worker=nobody")).status).toBe(404);
    expect((await pull("sk-not-a-key-at-all", `?worker=${worker.id}`)).status).toBe(401);
    const wrong = await fetch(`${base}/api/v1/events/abc/ack`, { method: "GET", headers: { authorization: `Bearer ${key}` } });
    // GET on an event's action is not a queue route: the gateway answers it as an unknown URL.
    expect([404, 405]).toContain(wrong.status);
  });

  it("keeps workspaces apart: another workspace's key gets 404 for the worker, the ack and the result", async () => {
    const a = await setup("sync");
    const b = await setup();
    const ev = await queueEvent(a.endpoint);
    expect((await pull(b.key, `?worker=${a.worker.id}`)).status).toBe(404);
    expect((await call(b.key, "POST", `/api/v1/events/${ev.id}/ack`)).status).toBe(404);
    expect((await call(b.key, "POST", `/api/v1/events/${ev.id}/nack`)).status).toBe(404);
    expect((await call(b.key, "POST", `/api/v1/events/${ev.id}/result`, { body: { x: 1 } })).status).toBe(404);
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: ev.id } })).ackedAt).toBeNull();
    // An unknown id is 404 too.
    expect((await call(a.key, "POST", `/api/v1/events/evt_nope/ack`)).status).toBe(404);
  });
});

describe("POST /api/v1/events/{id}/result", () => {
  it("wakes the sender's wait with the result; a second result is 409", async () => {
    const { key, worker, endpoint } = await setup("sync");
    const ev = await queueEvent(endpoint);
    const pulled = (await pull(key, `?worker=${worker.id}`)).body.data;
    expect(pulled.map((e) => [e.id, e.mode])).toEqual([[ev.id, "sync"]]);
    const waiting = waitForResult(ev.id, 20_000);
    const first = await call(key, "POST", `/api/v1/events/${ev.id}/result`, { status: 201, body: { ticket: 42 } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: ev.id, deliveryStatus: "completed" });
    expect(await waiting).toEqual({ status: 201, body: { ticket: 42 } });
    const second = await call(key, "POST", `/api/v1/events/${ev.id}/result`, { body: { ticket: 43 } });
    expect(second.status).toBe(409);
    expect(second.body.error?.message).toBe("The event already has a result.");
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: ev.id } });
    expect(row).toMatchObject({ deliveryStatus: "completed", resultStatus: 201, result: { ticket: 42 } });
    expect(row.ackedAt).not.toBeNull();
  });

  it("refuses a result for an async event (409), after a timeout (409), and a bad body (400)", async () => {
    const asyncSide = await setup();
    const ev = await queueEvent(asyncSide.endpoint);
    const r = await call(asyncSide.key, "POST", `/api/v1/events/${ev.id}/result`, { body: "done" });
    expect(r.status).toBe(409);
    expect(r.body.error?.message).toMatch(/asynchronous/);

    const sync = await setup("sync");
    const late = await queueEvent(sync.endpoint);
    await db.webhookEvent.update({ where: { id: late.id }, data: { responseStatus: 504 } });
    const t = await call(sync.key, "POST", `/api/v1/events/${late.id}/result`, { body: "done" });
    expect([t.status, t.body.error?.message]).toEqual([409, "The sender was already answered with a timeout."]);

    const fresh = await queueEvent(sync.endpoint);
    const badStatus = await call(sync.key, "POST", `/api/v1/events/${fresh.id}/result`, { status: 99, body: {} });
    expect([badStatus.status, badStatus.body.error?.message, badStatus.body.error?.param]).toEqual([
      400,
      "status must be 200-599.",
      "status",
    ]);
    const noBody = await call(sync.key, "POST", `/api/v1/events/${fresh.id}/result`, { status: 200 });
    expect([noBody.status, noBody.body.error?.message]).toEqual([400, "body: Required."]);
    const extra = await call(sync.key, "POST", `/api/v1/events/${fresh.id}/result`, { body: 1, headers: {} });
    expect([extra.status, extra.body.error?.message]).toEqual([400, "Unknown field: headers."]);
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: fresh.id } })).completedAt).toBeNull();
  });
});

describe("next dev binding", () => {
  it("serves the queue through app/api/v1 as well", async () => {
    const { key, worker, endpoint } = await setup();
    const ev = await queueEvent(endpoint);
    const res = await v1Route.GET(
      new Request(`http://localhost/api/v1/events?worker=${worker.id}`, { headers: { authorization: `Bearer ${key}` } }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as Answer).data.map((e) => e.id)).toEqual([ev.id]);
    const ack = await v1Route.POST(
      new Request(`http://localhost/api/v1/events/${ev.id}/ack`, { method: "POST", headers: { authorization: `Bearer ${key}` } }),
    );
    expect(ack.status).toBe(200);
  });
});
