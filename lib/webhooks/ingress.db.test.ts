import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { useTestDb, db } from "../testing/db";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { matchLeanRoute } from "../dataplane/router";
import { POST as devRoute } from "../../app/api/webhooks/[id]/route";
import { createWebhook } from "./create-endpoint";
import { rotateWebhookSecret } from "./rotate-secret";
import { updateWebhook } from "./update-endpoint";
import { webhookSignals, type QueuedSignal } from "./signals";
import type { CreateWebhookInput } from "../schemas/webhooks";
import { createWebhookSchema } from "../schemas/webhooks";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";

// The ingress through the lean router on a real node:http server: signatures from the senders' libraries,
// refusals with their reasons in the log, concurrent duplicates, rotation, size limit, form bodies, Slack's
// challenge, sync mode.

useTestDb();

let plane: http.Server;
let base = "";
const queued: QueuedSignal[] = [];
const onQueued = (s: QueuedSignal) => queued.push(s);

beforeAll(async () => {
  plane = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: `req_${crypto.randomBytes(8).toString("hex")}`, pathname });
  });
  await new Promise<void>((r) => plane.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(plane.address() as AddressInfo).port}`;
  webhookSignals.on("queued", onQueued);
});
afterAll(async () => {
  webhookSignals.off("queued", onQueued);
  await new Promise((r) => plane?.close(r));
});

async function endpoint(input: Partial<CreateWebhookInput> & { scheme: CreateWebhookInput["scheme"] }) {
  const ws = await createWorkspace();
  const worker = await db.worker.create({ data: { workspaceId: ws.id, name: `w-${suffix()}` } });
  const made = await createWebhook({
    actor: tokenActor,
    workspaceId: ws.id,
    input: createWebhookSchema.parse({ name: `hook ${suffix()}`, target: { type: "worker", id: worker.id }, ...input }),
  });
  return { ...made, worker, ws };
}

async function post(id: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${base}/api/webhooks/${id}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const lastEvent = (endpointId: string) => db.webhookEvent.findFirstOrThrow({ where: { endpointId }, orderBy: { receivedAt: "desc" } });

function swSigned(secret: string, payload: string, msgId = `msg_${suffix()}`, at = new Date()) {
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(msgId, at, payload),
  };
}

describe("webhook ingress", () => {
  it("accepts a Standard Webhooks event: 202 {id}, queued for the target, redacted payload, signature masked", async () => {
    const ep = await endpoint({ scheme: "standard-webhooks", redactFields: ["card.number"] });
    const payload = JSON.stringify({ type: "order.paid", card: { number: "4242424242424242", brand: "visa" } });
    const h = swSigned(ep.secret!, payload);
    const res = await post(ep.id, payload, { ...h, authorization: "Bearer should-not-be-kept" });
    expect(res.status).toBe(202);
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row).toMatchObject({
      verified: true,
      duplicate: false,
      reason: null,
      externalId: h["webhook-id"],
      deliveryStatus: "queued",
      targetType: "worker",
      targetId: ep.worker.id,
      responseStatus: 202,
      nextAttemptAt: null,
      payload: { type: "order.paid", card: { number: "[redacted]", brand: "visa" } },
    });
    expect(row.visibleAt).not.toBeNull();
    expect(Buffer.from(row.body!).toString()).toBe(payload);
    const headers = row.headers as Record<string, string>;
    expect(headers["webhook-signature"]).toBe("[redacted]");
    expect(headers["webhook-id"]).toBe(h["webhook-id"]);
    expect(headers.authorization).toBeUndefined();
    expect(queued).toContainEqual({ targetType: "worker", targetId: ep.worker.id, eventId: res.body.id });
  });

  it("refuses a changed body, a wrong secret, an old or future timestamp and a missing header with 401 and the reason in the log", async () => {
    const ep = await endpoint({ scheme: "standard-webhooks" });
    const payload = '{"n":1}';
    const cases: [string, Record<string, string>, string][] = [
      ["changed body", swSigned(ep.secret!, '{"n":2}'), "bad_signature"],
      ["wrong secret", swSigned(`whsec_${crypto.randomBytes(24).toString("base64")}`, payload), "bad_signature"],
      ["old timestamp", swSigned(ep.secret!, payload, undefined, new Date(Date.now() - 360_000)), "timestamp_expired"],
      ["future timestamp", swSigned(ep.secret!, payload, undefined, new Date(Date.now() + 360_000)), "timestamp_in_future"],
      ["missing header", { "webhook-id": "x", "webhook-timestamp": String(Math.floor(Date.now() / 1000)) }, "missing_signature"],
    ];
    // Signed over re-serialised JSON while the raw body has other whitespace: the raw bytes are what counts.
    const spaced = '{ "n": 1 }';
    cases.push(["re-serialised JSON", swSigned(ep.secret!, JSON.stringify(JSON.parse(spaced))), "bad_signature"]);
    for (const [label, headers, reason] of cases) {
      const res = await post(ep.id, label === "re-serialised JSON" ? spaced : payload, headers);
      expect([label, res.status, res.body.error.code]).toEqual([label, 401, reason]);
      const row = await lastEvent(ep.id);
      expect([label, row.verified, row.reason, row.deliveryStatus, row.targetId]).toEqual([label, false, reason, "none", null]);
    }
    expect(await db.webhookEvent.count({ where: { endpointId: ep.id, deliveryStatus: "queued" } })).toBe(0);
  });

  it("runs concurrent copies of one event once: one 202, the others 200 duplicates", async () => {
    const ep = await endpoint({ scheme: "standard-webhooks" });
    const payload = '{"dup":true}';
    const h = swSigned(ep.secret!, payload);
    const before = queued.length;
    const results = await Promise.all(Array.from({ length: 5 }, () => post(ep.id, payload, h)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    const rows = await db.webhookEvent.findMany({ where: { endpointId: ep.id } });
    expect(rows.filter((r) => r.deliveryStatus === "queued")).toHaveLength(1);
    expect(rows.filter((r) => r.duplicate && r.deliveryStatus === "none" && r.responseStatus === 200)).toHaveLength(4);
    expect(queued.slice(before).filter((s) => s.targetId === ep.worker.id)).toHaveLength(1);
    // A later retry of the same event is a duplicate too.
    expect((await post(ep.id, payload, h)).status).toBe(200);
  });

  it("accepts both secrets during a rotation and stops the old one after the grace period", async () => {
    const ep = await endpoint({ scheme: "standard-webhooks" });
    const old = ep.secret!;
    const rotated = await rotateWebhookSecret({ actor: tokenActor, endpointId: ep.id, input: { graceSeconds: 1 } });
    const payload = '{"r":1}';
    expect((await post(ep.id, payload, swSigned(old, payload))).status).toBe(202);
    expect((await post(ep.id, payload, swSigned(rotated.secret!, payload))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1200));
    const late = await post(ep.id, payload, swSigned(old, payload));
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe("bad_signature");
    expect((await post(ep.id, payload, swSigned(rotated.secret!, payload))).status).toBe(202);
  });

  it("accepts GitHub and Stripe signatures made by their libraries, deduping by X-GitHub-Delivery and the Stripe event id", async () => {
    const gh = await endpoint({ scheme: "github", secret: "github-secret-value" });
    const body = JSON.stringify({ action: "opened", number: 1 });
    const ghHeaders = { "x-hub-signature-256": await githubSign("github-secret-value", body), "x-github-delivery": crypto.randomUUID() };
    expect((await post(gh.id, body, ghHeaders)).status).toBe(202);
    expect((await post(gh.id, body, ghHeaders)).status).toBe(200);
    expect((await lastEvent(gh.id)).externalId).toBe(ghHeaders["x-github-delivery"]);

    const secret = `whsec_${crypto.randomBytes(16).toString("hex")}`;
    const st = await endpoint({ scheme: "stripe", secret });
    const evt = JSON.stringify({ id: `evt_${suffix()}`, type: "invoice.paid", data: { object: {} } });
    const sig = new Stripe("sk_test_unused").webhooks.generateTestHeaderString({ payload: evt, secret });
    expect((await post(st.id, evt, { "stripe-signature": sig })).status).toBe(202);
    expect((await post(st.id, evt, { "stripe-signature": sig })).status).toBe(200);
    const sent = await post(st.id, evt.replace("invoice", "invoices"), { "stripe-signature": sig });
    expect(sent.status).toBe(401);
  });

  it("takes form bodies (Slack slash commands) and answers Slack's url_verification challenge after verifying it", async () => {
    const secret = "slack-signing-secret-0123456789";
    const ep = await endpoint({ scheme: "slack", secret });
    const slack = (body: string, ts = Math.floor(Date.now() / 1000)) => ({
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": "v0=" + crypto.createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex"),
    });
    const form = "command=%2Fdeploy&text=prod%20now&user_id=U1";
    const res = await post(ep.id, form, { ...slack(form), "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(202);
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: res.body.id } })).payload).toEqual({
      command: "/deploy",
      text: "prod now",
      user_id: "U1",
    });
    const challenge = JSON.stringify({
      type: "url_verification",
      token: "t",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });
    const ok = await post(ep.id, challenge, slack(challenge));
    expect(ok).toEqual({ status: 200, body: { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" } });
    expect((await lastEvent(ep.id)).deliveryStatus).toBe("none");
    // An unsigned challenge gets nothing.
    expect((await post(ep.id, challenge, {})).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 301;
    expect((await post(ep.id, challenge, slack(challenge, old))).body.error.code).toBe("timestamp_expired");
  });

  it("refuses a body over the endpoint's limit with 413, unknown endpoints with 404 and no row, disabled ones with 403", async () => {
    const ep = await endpoint({ scheme: "secret-header", maxBodyBytes: 1024 });
    const big = JSON.stringify({ pad: "x".repeat(5000) });
    const res = await post(ep.id, big, { "x-webhook-secret": ep.secret! });
    expect(res.status).toBe(413);
    expect((await lastEvent(ep.id)).reason).toBe("too_large");
    const accepted = await post(ep.id, '{"a":1}', { "x-webhook-secret": ep.secret! });
    expect(accepted.status).toBe(202);
    // The shared secret is never kept in the log.
    const kept = await db.webhookEvent.findUniqueOrThrow({ where: { id: accepted.body.id } });
    expect((kept.headers as Record<string, string>)["x-webhook-secret"]).toBe("[redacted]");
    expect(JSON.stringify({ ...kept, body: null })).not.toContain(ep.secret!);
    expect((await post(ep.id, "a,b", { "x-webhook-secret": ep.secret!, "content-type": "text/csv" })).body.error.code).toBe(
      "unsupported_content_type",
    );

    // The app route `next dev` serves answers the same way.
    const viaNext = await devRoute(
      new Request(`http://localhost/api/webhooks/${ep.id}`, {
        method: "POST",
        body: '{"b":2}',
        headers: { "content-type": "application/json", "x-webhook-secret": ep.secret! },
      }),
    );
    expect(viaNext.status).toBe(202);
    const tooBig = await devRoute(
      new Request(`http://localhost/api/webhooks/${ep.id}`, { method: "POST", body: big, headers: { "x-webhook-secret": ep.secret! } }),
    );
    expect(tooBig.status).toBe(413);

    // The file's own embedded database sees every row; a shared PostgreSQL one has other files writing meanwhile.
    const shared = !!process.env.DATABASE_URL;
    const before = await db.webhookEvent.count();
    expect((await post("cunknownendpoint000", "{}", {})).status).toBe(404);
    if (!shared) expect(await db.webhookEvent.count()).toBe(before);

    await updateWebhook({ actor: tokenActor, endpointId: ep.id, input: { enabled: false } });
    const off = await post(ep.id, '{"a":1}', { "x-webhook-secret": ep.secret! });
    expect([off.status, off.body.error.code]).toEqual([403, "endpoint_disabled"]);
  });

  it("sync mode answers with the result the target posts, and 504 when none comes in time", async () => {
    const ep = await endpoint({ scheme: "secret-header", mode: "sync", syncTimeoutMs: 1000 });
    const onQ = (s: QueuedSignal) => {
      if (s.targetId !== ep.worker.id) return;
      // What POST /api/v1/events/{id}/result does (whout's side): store the result, then signal it.
      void db.webhookEvent
        .update({
          where: { id: s.eventId },
          data: { resultStatus: 201, result: { ok: true }, completedAt: new Date(), deliveryStatus: "completed" },
        })
        .then(() => webhookSignals.completed({ eventId: s.eventId }));
    };
    webhookSignals.on("queued", onQ);
    try {
      const res = await post(ep.id, '{"q":1}', { "x-webhook-secret": ep.secret! });
      expect(res).toEqual({ status: 201, body: { ok: true } });
    } finally {
      webhookSignals.off("queued", onQ);
    }
    const slow = await post(ep.id, '{"q":2}', { "x-webhook-secret": ep.secret! });
    expect([slow.status, slow.body.error.code]).toEqual([504, "timed_out"]);
    const row = await lastEvent(ep.id);
    // The sender got 504; the event stays queued for its target (a puller still runs it), and a late result is refused.
    expect([row.deliveryStatus, row.responseStatus]).toEqual(["queued", 504]);
  });

  it("applies a webhooks config section idempotently, rotates on a new secret, and exports the secret as a variable", async () => {
    const wsName = `cfg-${suffix()}`;
    const secrets: Record<string, string> = { HOOK_SECRET: `cfg-hook-${suffix()}` };
    const lookupEnv = (n: string) => secrets[n];
    const actor = { type: "config" as const, source: "test" };
    const doc = {
      workspaces: [{ name: wsName }],
      workers: [{ name: "ingest", workspace: wsName }],
      webhooks: [
        {
          name: "GitHub pushes",
          workspace: wsName,
          scheme: "github",
          secret: "${env:HOOK_SECRET}",
          target: { worker: "ingest" },
          redactFields: ["sender.email"],
          retentionDays: 7,
        },
      ],
    };
    const first = await applyConfig({ actor, doc, lookupEnv });
    expect(first.changes).toContainEqual(expect.objectContaining({ section: "webhooks", action: "create" }));
    const second = await applyConfig({ actor, doc, lookupEnv });
    expect(second.changes).toContainEqual(expect.objectContaining({ section: "webhooks", action: "unchanged" }));
    const ep = await db.webhookEndpoint.findFirstOrThrow({ where: { name: "GitHub pushes", workspace: { name: wsName } } });
    expect([ep.scheme, ep.retentionDays, ep.redactFields, ep.source]).toEqual(["github", 7, ["sender.email"], "config"]);
    const body = '{"zen":"ok"}';
    const sign = async (secret: string) => ({
      "x-hub-signature-256": await githubSign(secret, body),
      "x-github-delivery": crypto.randomUUID(),
    });
    expect((await post(ep.id, body, await sign(secrets.HOOK_SECRET))).status).toBe(202);

    const old = secrets.HOOK_SECRET;
    secrets.HOOK_SECRET = `cfg-hook-new-${suffix()}`;
    const third = await applyConfig({ actor, doc, lookupEnv });
    expect(third.changes).toContainEqual(expect.objectContaining({ section: "webhooks", action: "update", fields: ["secret"] }));
    // The previous secret is in its grace period: both verify.
    expect((await post(ep.id, body, await sign(old))).status).toBe(202);
    expect((await post(ep.id, body, await sign(secrets.HOOK_SECRET))).status).toBe(202);

    const exported = await exportConfig({ actor: tokenActor });
    const mine = (exported.webhooks as Record<string, unknown>[]).find((w) => w.workspace === wsName)!;
    expect(mine).toMatchObject({
      name: "GitHub pushes",
      scheme: "github",
      target: { worker: "ingest" },
      retentionDays: 7,
      redactFields: ["sender.email"],
    });
    expect(mine.secret).toMatch(/^\$\{env:SWITCHBOARD_SECRET_[A-Z0-9_]+\}$/);
    expect(JSON.stringify(exported)).not.toContain(secrets.HOOK_SECRET);
    expect(JSON.stringify(exported)).not.toContain(old);
    // The exported item applied back (its variable holding the current secret) changes nothing.
    const variable = /^\$\{env:(.+)\}$/.exec(mine.secret as string)![1];
    const back = await applyConfig({
      actor,
      doc: { webhooks: [mine] },
      lookupEnv: (n) => (n === variable ? secrets.HOOK_SECRET : undefined),
    });
    expect(back.changes).toEqual([expect.objectContaining({ section: "webhooks", action: "unchanged" })]);
  });

  it("stores payloads PostgreSQL's jsonb refuses (NUL, lone surrogates) with replacements, without failing events written with them", async () => {
    const ep = await endpoint({ scheme: "secret-header" });
    const poison = '{"a":"x\\u0000y","b":"\\ud800","c\\u0000":1}';
    const h = { "x-webhook-secret": ep.secret! };
    const [bad, good, refused] = await Promise.all([
      post(ep.id, poison, h),
      post(ep.id, '{"ok":true}', h),
      post(ep.id, poison, { "x-webhook-secret": "wrong-secret" }),
    ]);
    expect([bad.status, good.status, refused.status]).toEqual([202, 202, 401]);
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: bad.body.id } });
    expect(row.payload).toEqual({ a: "x\uFFFDy", b: "\uFFFD", "c\uFFFD": 1 });
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const tooDeep = await post(ep.id, deep, h);
    expect([tooDeep.status, tooDeep.body.error.code]).toEqual([400, "too_deep"]);
    expect(Buffer.from(row.body!).toString()).toBe(poison);
  });
});
