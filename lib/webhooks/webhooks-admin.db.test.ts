import { describe, expect, it } from "vitest";
import { useTestDb, db } from "../testing/db";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { getWebhook, listWebhooks } from "./list-endpoints";
import { updateWebhook } from "./update-endpoint";
import { createAdminToken } from "../tokens/admin-tokens";
import * as collection from "../../app/api/admin/webhooks/route";
import * as byId from "../../app/api/admin/webhooks/[id]/route";
import * as rotate from "../../app/api/admin/webhooks/[id]/rotate-secret/route";
import * as events from "../../app/api/admin/webhooks/[id]/events/route";
import * as eventById from "../../app/api/admin/webhooks/[id]/events/[eventId]/route";
import * as replay from "../../app/api/admin/webhooks/[id]/events/[eventId]/replay/route";
import { pruneExpiredWebhookSecrets, pruneWebhookEvents } from "./retention-job";
import { deleteAgent } from "../agents/delete-agent";
import { applyConfig } from "../config/apply-config";

// The webhooks admin API in-process: create (secret answered once), list, read, edit, rotate, delete, the event
// log and replay, each workspace seeing only its own.

useTestDb();

let token = "";
type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;
async function call(handler: Handler, url: string, init: RequestInit = {}, params: Record<string, string> = {}) {
  token ||= (await createAdminToken({ actor: tokenActor, input: { name: `wh-${suffix()}` } })).token;
  const res = await handler(
    new Request(`http://localhost${url}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function setup() {
  const ws = await createWorkspace();
  const worker = await db.worker.create({ data: { workspaceId: ws.id, name: `billing-${suffix()}` } });
  return { ws, worker };
}

describe("webhooks admin API", () => {
  it("creates an endpoint with a generated secret shown once, lists, reads, edits and deletes it with audit entries", async () => {
    const { ws, worker } = await setup();
    const made = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Orders", scheme: "standard-webhooks", target: { type: "worker", id: worker.name } }),
    });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(made.body.target).toEqual({ type: "worker", id: worker.id, name: worker.name });
    expect(made.body.path).toBe(`/api/webhooks/${made.body.id}`);
    expect(made.body.secrets).toHaveLength(1);
    expect(made.body.secrets[0].mask).not.toContain(made.body.secret.slice(6, 20));
    const id = made.body.id;
    // The worker cannot be deleted while the endpoint sends it events.
    await expect(deleteAgent({ actor: tokenActor, kind: "worker", id: worker.id })).rejects.toThrow(/Webhook Orders sends its events/);

    const got = await call(byId.GET, `/api/admin/webhooks/${id}`, {}, { id });
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(made.body.secret);
    expect(got.body).not.toHaveProperty("secret");

    const list = await call(collection.GET, `/api/admin/webhooks?workspaceId=${ws.id}&q=ord`);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([id]);
    expect(list.body.nextCursor).toBeNull();

    const dup = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "orders", scheme: "github", target: { type: "worker", id: worker.id } }),
    });
    expect(dup.status).toBe(409);

    const edited = await call(
      byId.PATCH,
      `/api/admin/webhooks/${id}`,
      { method: "PATCH", body: JSON.stringify({ mode: "sync", redactFields: ["card.number"] }) },
      { id },
    );
    expect(edited.status).toBe(200);
    expect(edited.body.mode).toBe("sync");
    expect(edited.body.redactFields).toEqual(["card.number"]);

    const gone = await call(byId.DELETE, `/api/admin/webhooks/${id}`, { method: "DELETE" }, { id });
    expect(gone.status).toBe(204);
    expect((await call(byId.GET, `/api/admin/webhooks/${id}`, {}, { id })).status).toBe(404);
    const audit = await db.auditEntry.findMany({ where: { targetId: id }, select: { action: true }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.update", "webhook.delete"]);
    // The secret's credential went with it.
    expect(await db.credentialUsage.count({ where: { ownerType: "webhook", ownerId: id } })).toBe(0);
    expect(await db.credential.count({ where: { workspaceId: ws.id, kind: "webhook-secret" } })).toBe(0);
  });

  it("refuses a target of another workspace or an unknown one, and keeps the sender's own secret without echoing it", async () => {
    const { ws } = await setup();
    const other = await setup();
    const foreign = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Foreign", scheme: "github", target: { type: "worker", id: other.worker.id } }),
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([{ path: "target.id", message: `No worker ${other.worker.id} in this workspace` }]);
    const misfit = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Gh", scheme: "github", options: { header: "X-Sig" }, target: { type: "worker", id: "x" } }),
    });
    expect(misfit.status).toBe(422);
    const notWhsec = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Sw", scheme: "standard-webhooks", secret: "plain-password-1", target: { type: "worker", id: "x" } }),
    });
    expect(notWhsec.status).toBe(422);
    expect(notWhsec.body.errors[0].path).toBe("secret");
    expect(misfit.body.errors).toEqual([{ path: "options.header", message: "Only the secret-header and hmac-sha256 schemes use header" }]);
    const wf = await db.workflow.create({ data: { workspaceId: ws.id, name: `flow-${suffix()}` } });
    const own = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({
        name: "Stripe",
        scheme: "stripe",
        secret: "whsec_sender_own_secret_123",
        target: { type: "workflow", id: wf.id },
      }),
    });
    expect(own.status).toBe(201);
    expect(own.body.secret).toBeNull();
    // Another workspace's endpoint is not found.
    const id = own.body.id;
    const otherToken = await db.webhookEndpoint.findFirst({ where: { workspaceId: other.ws.id } });
    expect(otherToken).toBeNull();
    expect((await call(events.GET, `/api/admin/webhooks/nope/events`, {}, { id: "nope" })).status).toBe(404);
    expect((await call(eventById.GET, `/api/admin/webhooks/${id}/events/nope`, {}, { id, eventId: "nope" })).status).toBe(404);
  });

  it("rotates: the old secret stays listed until its grace ends, a grace of 0 removes it", async () => {
    const { ws, worker } = await setup();
    const made = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Hooks", scheme: "hmac-sha256", target: { type: "worker", id: worker.id } }),
    });
    const id = made.body.id;
    const r1 = await call(
      rotate.POST,
      `/api/admin/webhooks/${id}/rotate-secret`,
      { method: "POST", body: JSON.stringify({ graceSeconds: 3600 }) },
      { id },
    );
    expect(r1.status).toBe(200);
    expect(r1.body.secret).toBeTruthy();
    expect(r1.body.secret).not.toBe(made.body.secret);
    expect(r1.body.secrets).toHaveLength(2);
    expect(r1.body.secrets[0].expiresAt).toBeNull();
    expect(Date.parse(r1.body.secrets[1].expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    const r2 = await call(
      rotate.POST,
      `/api/admin/webhooks/${id}/rotate-secret`,
      { method: "POST", body: JSON.stringify({ graceSeconds: 0 }) },
      { id },
    );
    expect(r2.body.secrets).toHaveLength(1);
    expect(await db.credential.count({ where: { workspaceId: ws.id, kind: "webhook-secret" } })).toBe(1);
  });

  it("refuses a scheme change whose current secret does not fit the new scheme (422 on scheme) until the secret is rotated", async () => {
    const { ws, worker } = await setup();
    const made = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Repo", scheme: "github", target: { type: "worker", id: worker.id } }),
    });
    const id = made.body.id;
    const patch = (body: unknown) => call(byId.PATCH, `/api/admin/webhooks/${id}`, { method: "PATCH", body: JSON.stringify(body) }, { id });
    // GitHub's generated secret (base64url of 32 bytes) is no Standard Webhooks secret.
    const refused = await patch({ scheme: "standard-webhooks" });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: "scheme", message: expect.stringMatching(/current secret does not fit.*rotate the secret/) },
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(made.body.secret);
    expect((await call(byId.GET, `/api/admin/webhooks/${id}`, {}, { id })).body.scheme).toBe("github");
    // Another scheme without a secret format is fine; after a rotation to a whsec_ secret, so is Standard Webhooks.
    expect((await patch({ scheme: "secret-header" })).status).toBe(200);
    const whsec = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;
    const rotated = await call(
      rotate.POST,
      `/api/admin/webhooks/${id}/rotate-secret`,
      { method: "POST", body: JSON.stringify({ graceSeconds: 60, secret: whsec }) },
      { id },
    );
    expect(rotated.status).toBe(200);
    const ok = await patch({ scheme: "standard-webhooks" });
    expect(ok.status).toBe(200);
    expect(ok.body.scheme).toBe("standard-webhooks");
  });

  it("config apply changes a scheme with its secret at once, and refuses a scheme change that keeps an unfit secret", async () => {
    const { ws, worker } = await setup();
    const env: Record<string, string> = { HOOK_SECRET: "plain-shared-password" };
    const item = { name: "cfg hook", workspace: ws.name, scheme: "github", secret: "${env:HOOK_SECRET}", target: { worker: worker.name } };
    const apply = (scheme: string) =>
      applyConfig({
        actor: { type: "config", source: "switchboard.yaml" },
        doc: { webhooks: [{ ...item, scheme }] },
        lookupEnv: (n) => env[n],
      });
    await apply("github");
    await expect(apply("standard-webhooks")).rejects.toMatchObject({
      fields: [{ path: "webhooks[0].scheme", message: expect.stringMatching(/current secret does not fit/) }],
    });
    env.HOOK_SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
    const changed = await apply("standard-webhooks");
    expect(changed.changes[0]).toMatchObject({ action: "update", fields: ["scheme", "secret"] });
    const row = await db.webhookEndpoint.findFirstOrThrow({ where: { workspaceId: ws.id, name: "cfg hook" } });
    expect(row.scheme).toBe("standard-webhooks");
  });

  it("lists events with filters and replays a verified one as a new queued event; a refused one cannot be replayed", async () => {
    const { ws, worker } = await setup();
    const made = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Log", scheme: "github", target: { type: "worker", id: worker.id } }),
    });
    const id = made.body.id;
    const base = { workspaceId: ws.id, endpointId: id, responseStatus: 202, latencyMs: 3, contentType: "application/json", headers: {} };
    const ok = await db.webhookEvent.create({
      data: { ...base, id: `ev_${suffix()}`, verified: true, payload: { a: 1 }, body: Buffer.from('{"a":1}'), deliveryStatus: "acked" },
    });
    const bad = await db.webhookEvent.create({
      data: { ...base, id: `ev_${suffix()}`, verified: false, reason: "bad_signature", responseStatus: 401 },
    });
    const refused = await call(events.GET, `/api/admin/webhooks/${id}/events?verified=false`, {}, { id });
    expect(refused.body.data.map((e: { id: string; reason: string }) => [e.id, e.reason])).toEqual([[bad.id, "bad_signature"]]);
    const replayed = await call(
      replay.POST,
      `/api/admin/webhooks/${id}/events/${ok.id}/replay`,
      { method: "POST" },
      { id, eventId: ok.id },
    );
    expect(replayed.status).toBe(201);
    expect(replayed.body).toMatchObject({
      replayOfId: ok.id,
      verified: true,
      duplicate: false,
      deliveryStatus: "queued",
      payload: { a: 1 },
    });
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: replayed.body.id } });
    expect(row.targetType).toBe("worker");
    expect(row.targetId).toBe(worker.id);
    expect(Buffer.from(row.body ?? []).toString()).toBe('{"a":1}');
    const no = await call(replay.POST, `/api/admin/webhooks/${id}/events/${bad.id}/replay`, { method: "POST" }, { id, eventId: bad.id });
    expect(no.status).toBe(409);
    const queued = await call(events.GET, `/api/admin/webhooks/${id}/events?deliveryStatus=queued`, {}, { id });
    expect(queued.body.data).toHaveLength(1);
  });

  it("lists events without payloads over 16 KB (payloadTruncated), which the single event answers whole", async () => {
    const { ws, worker } = await setup();
    const made = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Big", scheme: "github", target: { type: "worker", id: worker.id } }),
    });
    const id = made.body.id;
    const base = { workspaceId: ws.id, endpointId: id, responseStatus: 202, latencyMs: 3, contentType: "application/json", headers: {} };
    const bigPayload = { blob: "x".repeat(40_000), n: 1 };
    const big = await db.webhookEvent.create({
      data: { ...base, id: `ev_${suffix()}`, verified: true, payload: bigPayload, receivedAt: new Date(Date.now() - 3000) },
    });
    const small = await db.webhookEvent.create({
      data: { ...base, id: `ev_${suffix()}`, verified: true, payload: { a: "é" }, receivedAt: new Date(Date.now() - 2000) },
    });
    const none = await db.webhookEvent.create({
      data: { ...base, id: `ev_${suffix()}`, verified: false, reason: "bad_signature", responseStatus: 401 },
    });
    const listed = await call(events.GET, `/api/admin/webhooks/${id}/events`, {}, { id });
    expect(listed.status).toBe(200);
    const byEvent = new Map(listed.body.data.map((e: { id: string }) => [e.id, e]));
    expect(byEvent.get(big.id)).toMatchObject({ payload: null, payloadTruncated: true });
    expect(byEvent.get(small.id)).toMatchObject({ payload: { a: "é" }, payloadTruncated: false });
    expect(byEvent.get(none.id)).toMatchObject({ payload: null, payloadTruncated: false });
    expect(JSON.stringify(listed.body).length).toBeLessThan(20_000);
    const one = await call(eventById.GET, `/api/admin/webhooks/${id}/events/${big.id}`, {}, { id, eventId: big.id });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ payload: bigPayload, payloadTruncated: false });
  });

  it("retention deletes events and dedupe records past the endpoint's retentionDays, and secrets past their grace", async () => {
    const { ws, worker } = await setup();
    const made = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Keep", scheme: "github", retentionDays: 3, target: { type: "worker", id: worker.id } }),
    });
    const id = made.body.id;
    const day = 86_400_000;
    const ev = (ageDays: number) =>
      db.webhookEvent.create({
        data: {
          id: `ev_${suffix()}`,
          workspaceId: ws.id,
          endpointId: id,
          verified: true,
          responseStatus: 202,
          latencyMs: 1,
          receivedAt: new Date(Date.now() - ageDays * day),
        },
      });
    const old = await ev(4);
    const fresh = await ev(2);
    await db.webhookDedupe.createMany({
      data: [
        { endpointId: id, externalId: "old", eventId: old.id, createdAt: new Date(Date.now() - 4 * day) },
        { endpointId: id, externalId: "fresh", eventId: fresh.id },
      ],
    });
    await pruneWebhookEvents();
    expect((await db.webhookEvent.findMany({ where: { endpointId: id } })).map((e) => e.id)).toEqual([fresh.id]);
    expect((await db.webhookDedupe.findMany({ where: { endpointId: id } })).map((d) => d.externalId)).toEqual(["fresh"]);

    await call(
      rotate.POST,
      `/api/admin/webhooks/${id}/rotate-secret`,
      { method: "POST", body: JSON.stringify({ graceSeconds: 60 }) },
      { id },
    );
    expect(await db.webhookSecret.count({ where: { endpointId: id } })).toBe(2);
    // (Other files' endpoints share a PostgreSQL test database: count this endpoint's secrets, not the job's total.)
    await pruneExpiredWebhookSecrets(new Date(Date.now() + 30_000));
    expect(await db.webhookSecret.count({ where: { endpointId: id } })).toBe(2);
    await pruneExpiredWebhookSecrets(new Date(Date.now() + 61_000));
    expect(await db.webhookSecret.count({ where: { endpointId: id } })).toBe(1);
    expect(await db.credential.count({ where: { workspaceId: ws.id, kind: "webhook-secret" } })).toBe(1);
  });

  it("lets Builders manage, refuses Members, and hides other workspaces' endpoints as not found", async () => {
    const { ws, worker } = await setup();
    const made = await call(collection.POST, `/api/admin/webhooks?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Perm", scheme: "github", target: { type: "worker", id: worker.id } }),
    });
    const id = made.body.id;
    const builder = await userInWorkspace("BUILDER", ws.id);
    expect((await updateWebhook({ actor: builder.actor, endpointId: id, input: { description: "by a builder" } })).description).toBe(
      "by a builder",
    );
    const member = await userInWorkspace("MEMBER", ws.id);
    await expect(listWebhooks({ actor: member.actor, query: { workspaceId: ws.id, limit: 50 } })).rejects.toMatchObject({
      code: "forbidden",
    });
    const outsider = await userInWorkspace("ADMIN");
    await expect(getWebhook({ actor: outsider.actor, endpointId: id })).rejects.toMatchObject({ code: "not_found" });
    await expect(updateWebhook({ actor: outsider.actor, endpointId: id, input: { enabled: false } })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
