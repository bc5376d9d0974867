import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, tokenActor, userInWorkspace } from "../testing/factories";
import { createAgent } from "../agents/create-agent";
import { updateAgent } from "../agents/update-agent";
import { getAgent } from "../agents/get-agent";
import { rotateDeliverySecret } from "../agents/rotate-delivery-secret";
import { deleteAgent } from "../agents/delete-agent";
import { runDeliveryPass, backoffMs } from "./delivery";
import { endpointRow, queueEvent } from "./delivery-fixtures";
import { waitForResult } from "./sync-wait";
import { receiveEvents } from "./queue";
import { webhookDeliveryJob } from "./delivery-job";

// Forwards to a local receiver as the delivery job sends them: signed with Standard Webhooks, retried with
// backoff, dead after the attempt limit, and a sync event's 2xx JSON answer taken as its result.
useTestDb();

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
let received: Received[] = [];
type Reply = { status: number; body?: string; type?: string };
let respond: (n: number) => Reply | Promise<Reply> = () => ({ status: 204 });
let server: http.Server;
let url = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      void Promise.resolve(respond(received.length)).then((r) => {
        res.writeHead(r.status, r.type ? { "content-type": r.type } : {});
        res.end(r.body);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/in`;
}, 60_000);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function pushTarget(mode: "async" | "sync" = "async") {
  received = [];
  respond = () => ({ status: 204 });
  const ws = await createWorkspace();
  const worker = await createAgent({
    actor: tokenActor,
    kind: "worker",
    workspaceId: ws.id,
    input: { name: "billing bot", deliveryUrl: url, deliveryInternal: true },
  });
  const endpoint = await endpointRow({ workspaceId: ws.id, target: { type: "worker", id: worker.id }, mode });
  return { ws, worker, endpoint, secret: worker.deliverySecret! };
}

const eventRow = (id: string) => db.webhookEvent.findUniqueOrThrow({ where: { id } });

describe("webhook forwards", () => {
  it("POSTs the raw body signed with Standard Webhooks; the receiver verifies it and the event is delivered", async () => {
    const { worker, endpoint, secret } = await pushTarget();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // The secret is shown once: reading the worker shows only that one is set, with a mask.
    const read = await getAgent({ actor: tokenActor, kind: "worker", id: worker.id });
    expect(read.delivery).toMatchObject({ url, internal: true, secretSet: true });
    expect(JSON.stringify(read)).not.toContain(secret.slice(6, 20));

    const body = '{"id":"evt_1","amount": 1200}';
    const ev = await queueEvent(endpoint, { body });
    expect(await runDeliveryPass({ concurrency: 2 })).toEqual({ delivered: 1 });
    expect(received).toHaveLength(1);
    const [got] = received;
    expect(got.body).toBe(body);
    const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>);
    expect(verified).toEqual({ id: "evt_1", amount: 1200 });
    expect(got.headers["webhook-id"]).toBe(ev.id);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-switchboard-event-id"]).toBe(ev.id);
    expect(decodeURIComponent(String(got.headers["x-switchboard-endpoint"]))).toBe(endpoint.name);
    expect(got.headers["x-switchboard-endpoint-id"]).toBe(endpoint.id);
    // A changed body or another secret does not verify.
    expect(() => new Webhook(secret).verify(`${got.body} `, got.headers as Record<string, string>)).toThrow();
    const other = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    expect(() => new Webhook(other).verify(got.body, got.headers as Record<string, string>)).toThrow();

    const row = await eventRow(ev.id);
    expect(row).toMatchObject({ deliveryStatus: "delivered", deliveryAttempts: 1, nextAttemptAt: null, lastError: null });
    expect(row.ackedAt).not.toBeNull();
    // Delivered is done: it is no longer in the pull queue, and another pass sends nothing.
    const target = { type: "worker" as const, id: worker.id, name: worker.name };
    expect(await receiveEvents({ workspaceId: endpoint.workspaceId, target, limit: 10, visibilitySeconds: 30 })).toEqual([]);
    expect(await runDeliveryPass()).toEqual({});
    expect(received).toHaveLength(1);
  });

  it("retries a failing receiver with backoff: two failures, then delivered on the third attempt", async () => {
    const { endpoint } = await pushTarget();
    respond = (n) => (n <= 2 ? { status: n === 1 ? 500 : 503, body: "down" } : { status: 200 });
    const ev = await queueEvent(endpoint);
    const t0 = new Date();
    expect(await runDeliveryPass({ now: () => t0 })).toEqual({ failed: 1 });
    let row = await eventRow(ev.id);
    expect(row).toMatchObject({ deliveryStatus: "failed", deliveryAttempts: 1, lastError: "The delivery URL answered HTTP 500" });
    expect(row.nextAttemptAt!.getTime()).toBeGreaterThan(t0.getTime());
    // Not due yet: nothing is sent.
    expect(await runDeliveryPass({ now: () => t0 })).toEqual({});
    expect(received).toHaveLength(1);

    const t1 = row.nextAttemptAt!;
    expect(await runDeliveryPass({ now: () => t1 })).toEqual({ failed: 1 });
    row = await eventRow(ev.id);
    expect(row).toMatchObject({ deliveryStatus: "failed", deliveryAttempts: 2, lastError: "The delivery URL answered HTTP 503" });
    // The second wait is longer than the first (exponential), counted from the attempt.
    expect(row.nextAttemptAt!.getTime() - t1.getTime()).toBeGreaterThan(0);

    expect(await runDeliveryPass({ now: () => row.nextAttemptAt! })).toEqual({ delivered: 1 });
    row = await eventRow(ev.id);
    expect(row).toMatchObject({ deliveryStatus: "delivered", deliveryAttempts: 3, lastError: null });
    expect(received.map((r) => [r.headers["webhook-id"], r.headers["x-switchboard-attempt"]])).toEqual([
      [ev.id, "1"],
      [ev.id, "2"],
      [ev.id, "3"],
    ]);
  });

  it("a stalled attempt whose event a later pass claimed again cannot overwrite that pass's outcome", async () => {
    const { endpoint } = await pushTarget();
    let releaseFirst = () => {};
    let releaseSecond = () => {};
    const first = new Promise<void>((r) => (releaseFirst = r));
    const second = new Promise<void>((r) => (releaseSecond = r));
    respond = (n) => (n === 1 ? first.then(() => ({ status: 500 })) : second.then(() => ({ status: 204 })));
    const t0 = new Date();
    const ev = await queueEvent(endpoint, { now: t0, signal: false });
    const pass1 = runDeliveryPass({ concurrency: 1, maxPerPass: 1, timeoutMs: 5_000, now: () => t0 });
    await vi.waitFor(() => expect(received).toHaveLength(1));
    // The first attempt stalls past its claim (timeout + margin): a later pass claims the event and sends it again.
    const later = new Date(t0.getTime() + 5_000 + 60_000 + 1_000);
    const pass2 = runDeliveryPass({ concurrency: 1, maxPerPass: 1, timeoutMs: 5_000, now: () => later });
    await vi.waitFor(() => expect(received).toHaveLength(2));
    // The stalled attempt ends with a 500: its outcome is dropped, the second claim still stands.
    releaseFirst();
    expect(await pass1).toEqual({ superseded: 1 });
    expect(await eventRow(ev.id)).toMatchObject({ deliveryStatus: "delivering", deliveryAttempts: 0, lastError: null });
    releaseSecond();
    expect(await pass2).toEqual({ delivered: 1 });
    expect(await eventRow(ev.id)).toMatchObject({ deliveryStatus: "delivered", deliveryAttempts: 1, lastError: null, nextAttemptAt: null });
  });

  it("marks an event dead after the attempt limit and stops forwarding it; it stays pullable until acked", async () => {
    const { worker, endpoint } = await pushTarget();
    respond = () => ({ status: 500 });
    const ev = await queueEvent(endpoint);
    let now = new Date();
    for (let i = 0; i < 3; i++) {
      await runDeliveryPass({ now: () => now, maxAttempts: 3 });
      const row = await eventRow(ev.id);
      if (row.nextAttemptAt) now = row.nextAttemptAt;
    }
    const row = await eventRow(ev.id);
    expect(row).toMatchObject({ deliveryStatus: "dead", deliveryAttempts: 3, nextAttemptAt: null });
    expect(await runDeliveryPass({ now: () => new Date(now.getTime() + 86_400_000), maxAttempts: 3 })).toEqual({});
    expect(received).toHaveLength(3);
    const target = { type: "worker" as const, id: worker.id, name: worker.name };
    const pulled = await receiveEvents({ workspaceId: endpoint.workspaceId, target, limit: 10, visibilitySeconds: 30 });
    expect(pulled.map((e) => e.id)).toEqual([ev.id]);
  });

  it("reports a receiver that cannot be reached, and a redirect, as failed attempts", async () => {
    const { worker, endpoint } = await pushTarget();
    respond = () => ({ status: 307 });
    const ev = await queueEvent(endpoint);
    await runDeliveryPass();
    expect(await eventRow(ev.id)).toMatchObject({
      deliveryStatus: "failed",
      lastError: "The delivery URL answered HTTP 307 (a redirect: forwards are not redirected)",
    });
    // A closed port.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await updateAgent({ actor: tokenActor, kind: "worker", id: worker.id, input: { deliveryUrl: `http://127.0.0.1:${port}/x` } });
    const ev2 = await queueEvent(endpoint);
    await runDeliveryPass();
    expect(await eventRow(ev2.id)).toMatchObject({ deliveryStatus: "failed", lastError: "Connection refused" });
  });

  it("takes a sync event's 2xx JSON answer as its result and wakes the waiting sender", async () => {
    const { endpoint } = await pushTarget("sync");
    respond = () => ({ status: 201, type: "application/json", body: '{"reply":"done"}' });
    const ev = await queueEvent(endpoint);
    const waiting = waitForResult(ev.id, 20_000);
    await runDeliveryPass();
    expect(await waiting).toEqual({ status: 201, body: { reply: "done" } });
    expect(await eventRow(ev.id)).toMatchObject({ deliveryStatus: "completed", resultStatus: 201 });
  });

  it("never forwards an event of a target without a delivery URL, nor one already acknowledged", async () => {
    const ws = await createWorkspace();
    const worker = await createAgent({ actor: tokenActor, kind: "worker", workspaceId: ws.id, input: { name: "pull only" } });
    expect(worker.delivery).toEqual({ url: null, internal: false, secretSet: false, secretMask: null });
    expect(worker.deliverySecret).toBeUndefined();
    const endpoint = await endpointRow({ workspaceId: ws.id, target: { type: "worker", id: worker.id } });
    received = [];
    const ev = await queueEvent(endpoint);
    expect(ev.nextAttemptAt).toBeNull();
    await runDeliveryPass();
    expect(received).toHaveLength(0);
    expect((await eventRow(ev.id)).deliveryStatus).toBe("queued");

    // The target gets a delivery URL: the event queued before it is pushed too, once; an acknowledged one is not.
    const acked = await queueEvent(endpoint);
    await db.webhookEvent.update({ where: { id: acked.id }, data: { ackedAt: new Date(), deliveryStatus: "acked" } });
    respond = () => ({ status: 204 });
    await updateAgent({ actor: tokenActor, kind: "worker", id: worker.id, input: { deliveryUrl: url, deliveryInternal: true } });
    expect(await runDeliveryPass()).toEqual({ delivered: 1 });
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([ev.id]);
    expect((await eventRow(ev.id)).deliveryStatus).toBe("delivered");
    expect(await runDeliveryPass()).toEqual({});
    expect(received).toHaveLength(1);
  });

  it("rotates the signing secret: forwards are signed with the new one only", async () => {
    const { worker, endpoint, secret } = await pushTarget();
    const { secret: next } = await rotateDeliverySecret({ actor: tokenActor, kind: "worker", id: worker.id });
    expect(next).not.toBe(secret);
    await queueEvent(endpoint);
    await runDeliveryPass();
    const [got] = received;
    expect(() => new Webhook(next).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toThrow();
    // Neither secret is in the audit log or any column but the sealed one.
    const audit = await db.auditEntry.findMany({ where: { targetId: worker.id } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["worker.delivery.update", "worker.delivery.rotate_secret"]));
    expect(JSON.stringify(audit)).not.toContain(next.slice(6));
    // Deleting the worker deletes its secret's credential too.
    const credId = (await db.worker.findUniqueOrThrow({ where: { id: worker.id } })).deliverySecretId!;
    await db.webhookEvent.deleteMany({ where: { endpointId: endpoint.id } });
    await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await deleteAgent({ actor: tokenActor, kind: "worker", id: worker.id });
    expect(await db.credential.findUnique({ where: { id: credId } })).toBeNull();
  });

  it("refuses a private delivery URL unless an Admin marks it internal; only an Admin may mark it", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    await expect(
      createAgent({ actor, kind: "worker", workspaceId: ws.id, input: { name: "local", deliveryUrl: "http://127.0.0.1:9/x" } }),
    ).rejects.toMatchObject({ code: "validation_failed", fields: [{ path: "deliveryUrl" }] });
    await expect(
      createAgent({
        actor,
        kind: "worker",
        workspaceId: ws.id,
        input: { name: "local", deliveryUrl: "http://127.0.0.1:9/x", deliveryInternal: true },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.worker.count({ where: { workspaceId: ws.id } })).toBe(0);
    const ok = await createAgent({
      actor,
      kind: "worker",
      workspaceId: ws.id,
      input: { name: "public", deliveryUrl: "https://hooks.example.com/in" },
    });
    expect(ok.deliverySecret).toMatch(/^whsec_/);
    // Removing the URL keeps the secret (a new URL is signed with the same one).
    const cleared = await updateAgent({ actor, kind: "worker", id: ok.id, input: { deliveryUrl: null } });
    expect(cleared.delivery).toMatchObject({ url: null, secretSet: true });
    expect(cleared.deliverySecret).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped at an hour", () => {
    expect(backoffMs(1, 1000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, () => 1)).toBe(8000);
    expect(backoffMs(40, 1000, () => 1)).toBe(3_600_000);
  });

  // Last: the job's listener stays registered for the rest of the file.
  it("the delivery job forwards an event as soon as it is queued (the queued signal), without waiting for a sweep", async () => {
    const { endpoint, secret } = await pushTarget();
    await webhookDeliveryJob.run();
    const ev = await queueEvent(endpoint);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([ev.id]);
    expect(() => new Webhook(secret).verify(received[0].body, received[0].headers as Record<string, string>)).not.toThrow();
    for (let i = 0; i < 100 && (await eventRow(ev.id)).deliveryStatus !== "delivered"; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await eventRow(ev.id)).deliveryStatus).toBe("delivered");
  });
});
