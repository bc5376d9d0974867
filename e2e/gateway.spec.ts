import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import pg from "pg";
import { E2E } from "./support/env";
import { bearer, createWorkspaceViaApi, unique } from "./support/helpers";

// The gateway through the official OpenAI SDK against local upstreams that speak OpenAI's wire format.
// Needs PostgreSQL (E2E_DATABASE_URL) so the spec can insert a virtual key next to the running server.
const DB = process.env.E2E_DATABASE_URL;
test.skip(!DB, "set E2E_DATABASE_URL (and SWITCHBOARD_ENCRYPTION_KEYS) to run the gateway spec");

const api = `${E2E.baseURL}/api/v1`;
let upstream: http.Server;
let upstreamBase = "";
const closedEarly = new Set<string>();
const calls: string[] = [];

const chunk = (content: string, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "up", choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra })}\n\n`;

function startUpstream() {
  upstream = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}");
      const tag = String(body.messages?.[0]?.content ?? body.input ?? "");
      calls.push(`${req.url} ${body.model} ${tag}`);
      if (req.url === "/v1/embeddings") {
        res.writeHead(200, { "content-type": "application/json" });
        const vector = [0.5, 0.25, 0.125];
        const embedding = body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
        return res.end(JSON.stringify({ object: "list", model: body.model, data: [{ object: "embedding", index: 0, embedding }], usage: { prompt_tokens: 4, total_tokens: 4 } }));
      }
      if (body.model === "down") {
        res.writeHead(503, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "overloaded", type: "server_error" } }));
      }
      if (tag === "bad request") {
        res.writeHead(400, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "messages[0] is invalid", type: "invalid_request_error", param: "messages", code: "invalid_value" } }));
      }
      if (!body.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({
            id: "chatcmpl-up", object: "chat.completion", created: 1, model: body.model,
            choices: [{ index: 0, message: { role: "assistant", content: `echo: ${tag}` }, finish_reason: "stop" }],
            usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
          }),
        );
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (tag === "hang") {
        res.write(chunk("first"));
        res.on("close", () => closedEarly.add(tag));
        return; // never finishes: only the client's abort ends it
      }
      if (tag === "break") {
        res.write(chunk("partial"));
        return setTimeout(() => res.socket?.destroy(), 100);
      }
      res.write(chunk("Hel"));
      res.write(chunk("lo"));
      res.write(`data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "up", choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  return new Promise<void>((r) =>
    upstream.listen(0, "127.0.0.1", () => {
      upstreamBase = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
      r();
    }),
  );
}

const s = crypto.randomBytes(3).toString("hex");
const model = `gw-chat-${s}`;
const badModel = `gw-bad-${s}`;
const embedModel = `gw-embed-${s}`;
const forbidden = `gw-forbidden-${s}`;
let key = "";
let rpmKey = "";
let revokedKey = "";
let expiredKey = "";
let sql: pg.Client;

async function insertKey(workspaceId: string, opts: { models: string[]; rpm?: number; revoked?: boolean; expired?: boolean }) {
  const value = `sk-sb-${crypto.randomBytes(18).toString("hex")}`;
  await sql.query(
    `INSERT INTO "VirtualKey" (id, "workspaceId", name, prefix, "keyHash", "allowedModels", rpm, "revokedAt", "expiresAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
    [
      `vk_${crypto.randomBytes(8).toString("hex")}`, workspaceId, unique("key"), value.slice(0, 10),
      crypto.createHash("sha256").update(value).digest("hex"), opts.models, opts.rpm ?? null,
      opts.revoked ? new Date() : null, opts.expired ? new Date(Date.now() - 60_000) : null,
    ],
  );
  return value;
}

async function usageRecord(requestId: string) {
  for (let i = 0; i < 40; i++) {
    const { rows } = await sql.query(`SELECT * FROM "UsageRecord" WHERE "requestId" = $1`, [requestId]);
    if (rows.length) return rows[0];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no usage record for ${requestId}`);
}

const client = (apiKey: string) => new OpenAI({ baseURL: api, apiKey, maxRetries: 0 });

test.beforeAll(async ({ request }) => {
  await startUpstream();
  sql = new pg.Client({ connectionString: DB });
  await sql.connect();
  const ws = await createWorkspaceViaApi(request);
  const limits = { contextWindow: 8000, maxOutputTokens: 1000 };
  const config = {
    platforms: [
      { name: `GW down ${s}`, vendor: "openai-compatible", baseUrl: upstreamBase, internal: true, keys: [{ value: `sk-up-down-${s}`, description: "primary" }] },
      { name: `GW up ${s}`, vendor: "openai-compatible", baseUrl: upstreamBase, internal: true, keys: [{ value: `sk-up-good-${s}`, description: "primary" }] },
    ],
    models: [
      {
        name: model, pricing: { inputPerMillion: 10, outputPerMillion: 30 }, ...limits,
        routes: [{ platform: `GW down ${s}`, priority: 1, upstreamModel: "down" }, { platform: `GW up ${s}`, priority: 2, upstreamModel: "real-model" }],
      },
      { name: badModel, pricing: { inputPerMillion: 1, outputPerMillion: 1 }, ...limits, routes: [{ platform: `GW up ${s}`, priority: 1 }, { platform: `GW down ${s}`, priority: 2 }] },
      { name: embedModel, pricing: { inputPerMillion: 1, outputPerMillion: 0 }, ...limits, routes: [{ platform: `GW up ${s}`, priority: 1, upstreamModel: "embed-up" }] },
      { name: forbidden, pricing: { inputPerMillion: 1, outputPerMillion: 1 }, ...limits, routes: [{ platform: `GW up ${s}`, priority: 1 }] },
    ],
  };
  const res = await request.post("/api/admin/config", { headers: bearer(E2E.envToken), data: config });
  expect(res.status(), await res.text()).toBe(200);
  const allowed = [model, badModel, embedModel];
  key = await insertKey(ws.id, { models: allowed });
  rpmKey = await insertKey(ws.id, { models: allowed, rpm: 2 });
  revokedKey = await insertKey(ws.id, { models: allowed, revoked: true });
  expiredKey = await insertKey(ws.id, { models: allowed, expired: true });
  await sql.query(`UPDATE "GatewayVersion" SET version = version + 1 WHERE id = 1`);
});

test.afterAll(async () => {
  upstream?.close();
  await sql?.end();
});

test.describe("gateway", () => {
  test("chat without streaming through the SDK fails over from a 503 route; the usage record shows both attempts", async () => {
    const { data, response } = await client(key).chat.completions.create({ model, messages: [{ role: "user", content: "ping" }], user: "alice" }).withResponse();
    expect(data.choices[0].message.content).toBe("echo: ping");
    expect(data.model).toBe(model);
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    const requestId = response.headers.get("x-request-id")!;
    expect(requestId).toBeTruthy();
    const rec = await usageRecord(requestId);
    expect(rec).toMatchObject({ status: 200, outcome: "success", userId: "alice", inputTokens: 12, outputTokens: 3, streamed: false });
    expect(Number(rec.costUsd)).toBeCloseTo((12 * 10 + 3 * 30) / 1e6, 10);
    expect(rec.attempts.map((a: { upstreamModel: string; status: number }) => [a.upstreamModel, a.status])).toEqual([["down", 503], ["real-model", 200]]);
  });

  test("chat streamed through the SDK arrives chunk by chunk with usage in the final chunk", async () => {
    const stream = await client(key).chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hello" }] });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? "";
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe("Hello");
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2 });
    const raw = await fetch(`${api}/chat/completions`, { method: "POST", headers: { ...bearer(key), "content-type": "application/json", "x-agent-id": "agent-42" }, body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "hello" }] }) });
    const body = await raw.text();
    expect(body.trim().endsWith("data: [DONE]")).toBe(true);
    const rec = await usageRecord(raw.headers.get("x-request-id")!);
    expect(rec).toMatchObject({ outcome: "success", streamed: true, agentId: "agent-42", inputTokens: 9, outputTokens: 2 });
  });

  test("an upstream 400 comes back at once, without failover", async () => {
    const before = calls.filter((c) => c.includes("bad request")).length;
    const err = await client(key).chat.completions.create({ model: badModel, messages: [{ role: "user", content: "bad request" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error).toMatchObject({ message: "messages[0] is invalid", code: "invalid_value" });
    expect(calls.filter((c) => c.includes("bad request")).length - before).toBe(1);
  });

  test("unknown model 404, model not allowed 403, bad, revoked and expired keys 401", async () => {
    const nf = await client(key).chat.completions.create({ model: `nope-${s}`, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(nf).toBeInstanceOf(OpenAI.NotFoundError);
    expect(nf.code).toBe("model_not_found");
    const fb = await client(key).chat.completions.create({ model: forbidden, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(fb).toBeInstanceOf(OpenAI.PermissionDeniedError);
    for (const k of ["sk-sb-not-a-real-key-000", revokedKey, expiredKey]) {
      const e = await client(k).chat.completions.create({ model, messages: [{ role: "user", content: "x" }] }).catch((x) => x);
      expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(e.error).toMatchObject({ code: "invalid_api_key", type: "invalid_request_error" });
    }
    const broken = await fetch(`${api}/chat/completions`, { method: "POST", headers: { ...bearer(key), "content-type": "application/json" }, body: "{oops" });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_json");
    const huge = await fetch(`${api}/chat/completions`, { method: "POST", headers: { ...bearer(key), "content-type": "application/json" }, body: "x".repeat(5 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  test("the RPM limit answers 429 with Retry-After", async () => {
    const send = () => fetch(`${api}/chat/completions`, { method: "POST", headers: { ...bearer(rpmKey), "content-type": "application/json" }, body: JSON.stringify({ model, messages: [{ role: "user", content: "r" }] }) });
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 3; i++) {
      last = await send();
      statuses.push(last.status);
    }
    // A minute boundary between the calls resets the window; then the third passes and a fourth is needed.
    if (statuses[2] === 200) {
      last = await send();
      statuses.push(last.status);
    }
    expect(statuses.at(-1)).toBe(429);
    const retry = Number(last!.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect((await last!.json()).error.code).toBe("rate_limit_exceeded");
  });

  test("a client abort mid-stream cancels the upstream call and is recorded as 499", async () => {
    const ac = new AbortController();
    const { data: stream, response } = await client(key).chat.completions.create({ model, stream: true, messages: [{ role: "user", content: "hang" }] }, { signal: ac.signal }).withResponse();
    const requestId = response.headers.get("x-request-id")!;
    for await (const c of stream) {
      expect(c.choices[0].delta.content).toBe("first");
      ac.abort();
      break;
    }
    await expect.poll(() => closedEarly.has("hang"), { timeout: 10_000 }).toBe(true);
    expect(await usageRecord(requestId)).toMatchObject({ status: 499, outcome: "client_aborted" });
  });

  test("an upstream failure mid-stream ends the stream with an error event and no [DONE]", async () => {
    const res = await fetch(`${api}/chat/completions`, { method: "POST", headers: { ...bearer(key), "content-type": "application/json" }, body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "break" }] }) });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("partial");
    expect(body).toContain("stream_interrupted");
    expect(body).not.toContain("[DONE]");
    expect(await usageRecord(res.headers.get("x-request-id")!)).toMatchObject({ outcome: "partial", streamed: true });
  });

  test("embeddings and the model list", async () => {
    const e = await client(key).embeddings.create({ model: embedModel, input: "four tokens here" });
    expect(e.data[0].embedding).toEqual([0.5, 0.25, 0.125]);
    expect(e.usage.prompt_tokens).toBe(4);
    const list = await client(key).models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([model, badModel, embedModel]));
    expect(ids).not.toContain(forbidden);
  });
});
