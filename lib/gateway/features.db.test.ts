import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import { bodySink } from "./bodies";
import { gatewayFetchHandler, gatewayNodeHandler } from "./handler";
import { usageSink } from "./metering";
import { refreshSnapshotNow } from "./snapshot";
import { bumpGatewayVersion } from "./version";

useTestDb();

// The Messages endpoint, per-route timeouts and body storage, through the node:http binding the custom server
// uses, with the official Anthropic SDK as the client and a scripted OpenAI-format upstream.

let upstream: http.Server;
let gateway: http.Server;
let base = "";
let gatewayUrl = "";
const hits: string[] = [];

const sse = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-u1",
  object: "chat.completion.chunk",
  created: 1,
  model: "up",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}");
      hits.push(body.model);
      if (body.model === "slow-head") return void setTimeout(() => res.writeHead(200).end("{}"), 3_000).unref();
      if (body.model === "bad") {
        res.writeHead(400, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "max_tokens is out of range", type: "invalid_request_error", code: "bad" } }));
      }
      const tools = Array.isArray(body.tools) && body.tools.length > 0;
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        if (body.model === "slow-first") return; // headers, then nothing: the first-token timeout must cut it
        if (body.model === "break") {
          res.write(sse(chunk({ role: "assistant", content: "part" })));
          return void setTimeout(() => res.socket?.destroy(), 50);
        }
        if (tools) {
          res.write(
            sse(
              chunk({
                role: "assistant",
                tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }],
              }),
            ),
          );
          res.write(sse(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] })));
          res.write(sse(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }, "tool_calls")));
        } else {
          res.write(sse(chunk({ role: "assistant", content: "Hel" })));
          res.write(sse(chunk({ content: "lo" }, "stop")));
        }
        res.write(
          sse({
            id: "chatcmpl-u1",
            object: "chat.completion.chunk",
            created: 1,
            model: "up",
            choices: [],
            usage: { prompt_tokens: 21, completion_tokens: 5, total_tokens: 26 },
          }),
        );
        return res.end("data: [DONE]\n\n");
      }
      res.writeHead(200, { "content-type": "application/json" });
      const message = tools
        ? {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_9", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
          }
        : { role: "assistant", content: `echo: ${JSON.stringify(body.messages.at(-1).content)}` };
      res.end(
        JSON.stringify({
          id: "chatcmpl-u2",
          object: "chat.completion",
          created: 1,
          model: body.model,
          choices: [{ index: 0, message, finish_reason: tools ? "tool_calls" : "stop" }],
          usage: { prompt_tokens: 40, completion_tokens: 7, total_tokens: 47 },
        }),
      );
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  gateway = http.createServer((req, res) => {
    const requestId = `req_${crypto.randomBytes(8).toString("hex")}`;
    void gatewayNodeHandler(req, res, { requestId, pathname: new URL(req.url ?? "/", "http://x").pathname });
  });
  await new Promise<void>((r) => gateway.listen(0, "127.0.0.1", r));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/api`;
});
afterAll(() => {
  upstream.close();
  gateway.close();
});

async function setup(opts: { storeBodies?: boolean } = {}) {
  const s = suffix();
  const ws = await createWorkspace();
  if (opts.storeBodies) await db.workspace.update({ where: { id: ws.id }, data: { storeBodies: true } });
  const platform = (name: string) => ({
    name: `${name} ${s}`,
    vendor: "openai-compatible",
    baseUrl: base,
    internal: true,
    keys: [{ value: `sk-${name}-${s}`, description: "only" }],
  });
  const model = (name: string, routes: unknown[]) => ({
    name: `${name}-${s}`,
    pricing: { inputPerMillion: 10, outputPerMillion: 30 },
    contextWindow: 8000,
    maxOutputTokens: 1000,
    routes,
  });
  const doc = {
    platforms: [platform("A"), platform("B")],
    models: [
      model("chat", [{ platform: `A ${s}`, priority: 1, upstreamModel: "good" }]),
      model("bad", [
        { platform: `A ${s}`, priority: 1, upstreamModel: "bad" },
        { platform: `B ${s}`, priority: 2, upstreamModel: "good" },
      ]),
      model("slowhead", [
        { platform: `A ${s}`, priority: 1, upstreamModel: "slow-head", timeouts: { firstTokenMs: 300 } },
        { platform: `B ${s}`, priority: 2, upstreamModel: "good" },
      ]),
      model("slowfirst", [
        { platform: `A ${s}`, priority: 1, upstreamModel: "slow-first", timeouts: { firstTokenMs: 300, totalMs: 5_000 } },
        { platform: `B ${s}`, priority: 2, upstreamModel: "good" },
      ]),
      { ...model("wide", [{ platform: `A ${s}`, priority: 1, upstreamModel: "good" }]), contextWindow: 1_000_000 },
      model("breaks", [{ platform: `A ${s}`, priority: 1, upstreamModel: "break" }]),
      model("hangs", [{ platform: `A ${s}`, priority: 1, upstreamModel: "slow-head", timeouts: { totalMs: 400 } }]),
    ],
  };
  await applyConfig({ actor: tokenActor, doc }).catch((e) => {
    throw new Error(JSON.stringify(e.fields ?? e.message));
  });
  const key = `sk-sb-${crypto.randomBytes(16).toString("hex")}`;
  await db.virtualKey.create({
    data: { workspaceId: ws.id, name: `k-${s}`, prefix: key.slice(0, 10), keyHash: crypto.createHash("sha256").update(key).digest("hex") },
  });
  await bumpGatewayVersion(db);
  await refreshSnapshotNow();
  return { s, ws, key, anthropic: new Anthropic({ apiKey: key, baseURL: gatewayUrl, maxRetries: 0 }) };
}

async function recordFor(requestId: string) {
  await usageSink().flush();
  return db.usageRecord.findUniqueOrThrow({ where: { requestId } });
}

describe("POST /v1/messages with the Anthropic SDK", () => {
  it("answers a message with text and usage, sent with x-api-key, metered as endpoint messages", async () => {
    const { s, anthropic } = await setup();
    const { data, response } = await anthropic.messages
      .create({
        model: `chat-${s}`,
        max_tokens: 100,
        system: "Be brief.",
        messages: [{ role: "user", content: "ping" }],
        metadata: { user_id: "ann" },
      })
      .withResponse();
    expect(data.type).toBe("message");
    expect(data.content).toEqual([{ type: "text", text: 'echo: "ping"' }]);
    expect(data.stop_reason).toBe("end_turn");
    expect(data.usage).toMatchObject({ input_tokens: 40, output_tokens: 7 });
    expect(data.model).toBe(`chat-${s}`);
    const rec = await recordFor(response.headers.get("x-request-id")!);
    expect(rec).toMatchObject({
      endpoint: "messages",
      status: 200,
      outcome: "success",
      userId: "ann",
      inputTokens: 40,
      outputTokens: 7,
      streamed: false,
    });
  });

  it("streams Anthropic events that the SDK assembles into the final message", async () => {
    const { s, anthropic } = await setup();
    const stream = anthropic.messages.stream({ model: `chat-${s}`, max_tokens: 100, messages: [{ role: "user", content: "hello" }] });
    const types: string[] = [];
    stream.on("streamEvent", (e) => types.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: "text", text: "Hello" })]);
    expect(final.usage.output_tokens).toBe(5);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(types).toContain("content_block_delta");
  });

  it("carries tools both ways, streamed and not", async () => {
    const { s, anthropic } = await setup();
    const tools = [
      {
        name: "get_weather",
        description: "Weather of a city",
        input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
      },
    ];
    const msg = await anthropic.messages.create({
      model: `chat-${s}`,
      max_tokens: 100,
      tools,
      messages: [{ role: "user", content: "weather in Oslo?" }],
    });
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toEqual([{ type: "tool_use", id: "call_9", name: "get_weather", input: { city: "Oslo" } }]);
    const streamed = await anthropic.messages
      .stream({ model: `chat-${s}`, max_tokens: 100, tools, messages: [{ role: "user", content: "weather in Oslo?" }] })
      .finalMessage();
    expect(streamed.stop_reason).toBe("tool_use");
    expect(streamed.content[0]).toMatchObject({ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Oslo" } });
  });

  it("answers errors in Anthropic's shape: bad key 401, unknown model 404, an upstream 400 without failover, a bad body 400", async () => {
    const { s, anthropic, key } = await setup();
    const badKey = await new Anthropic({ apiKey: "sk-sb-nope-nope-nope", baseURL: gatewayUrl, maxRetries: 0 }).messages
      .create({ model: `chat-${s}`, max_tokens: 10, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(badKey).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(badKey.error).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const nf = await anthropic.messages
      .create({ model: `nope-${s}`, max_tokens: 10, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(nf).toBeInstanceOf(Anthropic.NotFoundError);
    expect(nf.error.error.type).toBe("not_found_error");
    const before = hits.length;
    const bad = await anthropic.messages
      .create({ model: `bad-${s}`, max_tokens: 10, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect(bad.error).toEqual({ type: "error", error: { type: "invalid_request_error", message: "max_tokens is out of range" } });
    expect(hits.slice(before)).toEqual(["bad"]);
    // Bearer works as well; a body without max_tokens is refused before any upstream call.
    const res = await fetch(`${gatewayUrl}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `chat-${s}`, messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") },
    });
  });
});

describe("POST /v1/messages failures", () => {
  it("is served by the route-handler binding (next dev) as well", async () => {
    const { s, key } = await setup();
    const res = await gatewayFetchHandler(
      new Request("http://x/api/v1/messages", {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify({ model: `chat-${s}`, max_tokens: 20, messages: [{ role: "user", content: "dev" }] }),
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: "message", content: [{ type: "text", text: 'echo: "dev"' }] });
    const refused = await gatewayFetchHandler(new Request("http://x/api/v1/messages", { method: "POST", body: "{}" }));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });

  it("a failure mid-stream ends the event stream with an error event and no message_stop; recorded as partial", async () => {
    const { s, key } = await setup();
    const res = await fetch(`${gatewayUrl}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: `breaks-${s}`, max_tokens: 50, stream: true, messages: [{ role: "user", content: "go" }] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events.slice(0, 3)).toEqual(["message_start", "content_block_start", "content_block_delta"]);
    expect(events.at(-1)).toBe("error");
    expect(events).not.toContain("message_stop");
    expect(text).toContain('"type":"api_error"');
    const rec = await recordFor(res.headers.get("x-request-id")!);
    expect(rec).toMatchObject({ endpoint: "messages", outcome: "partial", streamed: true });
  });

  it("a content block the gateway cannot translate is refused before any upstream call, in Anthropic's shape", async () => {
    const { s, key } = await setup();
    const before = hits.length;
    const res = await fetch(`${gatewayUrl}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({
        model: `chat-${s}`,
        max_tokens: 50,
        messages: [{ role: "user", content: [{ type: "document", source: { type: "text", data: "x" } }] }],
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("document") },
    });
    expect(hits.length).toBe(before);
  });
});

describe("per-route timeouts", () => {
  const chat = (key: string, model: string, stream = false) =>
    fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "t" }] }),
    });

  it("a route whose upstream sends no headers within its first-token timeout fails over; the trace shows the timeout", async () => {
    const { s, key } = await setup();
    const t0 = Date.now();
    const res = await chat(key, `slowhead-${s}`);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2_500);
    const rec = await recordFor(res.headers.get("x-request-id")!);
    const attempts = rec.attempts as { upstreamModel: string; status: number | null; error: string | null }[];
    expect(attempts.map((a) => [a.upstreamModel, a.status])).toEqual([
      ["slow-head", null],
      ["good", 200],
    ]);
    expect(attempts[0].error).toMatch(/timeout/);
  });

  it("a stream whose first token does not come in time fails over before anything reached the client", async () => {
    const { s, key } = await setup();
    const res = await chat(key, `slowfirst-${s}`, true);
    const text = await res.text();
    expect(text).toContain('"Hel"');
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    const rec = await recordFor(res.headers.get("x-request-id")!);
    expect((rec.attempts as { upstreamModel: string }[]).map((a) => a.upstreamModel)).toEqual(["slow-first", "good"]);
  });

  it("the total timeout of the only route answers 504", async () => {
    const { s, key } = await setup();
    const t0 = Date.now();
    const res = await chat(key, `hangs-${s}`);
    expect(res.status).toBe(504);
    expect(Date.now() - t0).toBeLessThan(2_500);
    expect((await res.json()).error.code).toBe("upstream_timeout");
  });
});

describe("request body storage", () => {
  it("stores nothing for a workspace that did not turn it on", async () => {
    const { s, key } = await setup();
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `chat-${s}`, messages: [{ role: "user", content: "secret-ish" }] }),
    });
    expect(res.status).toBe(200);
    await bodySink().flush();
    expect(await db.requestBody.findUnique({ where: { requestId: res.headers.get("x-request-id")! } })).toBeNull();
  });

  it("stores the request and the answer as the client got it (JSON, SSE, Anthropic format), never the key", async () => {
    const { s, key, ws, anthropic } = await setup({ storeBodies: true });
    const send = (body: unknown) =>
      fetch(`${gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const plain = await send({ model: `chat-${s}`, messages: [{ role: "user", content: "keep me" }] });
    const streamed = await send({ model: `chat-${s}`, stream: true, messages: [{ role: "user", content: "stream me" }] });
    await streamed.text();
    const { response } = await anthropic.messages
      .create({ model: `chat-${s}`, max_tokens: 50, messages: [{ role: "user", content: "claude me" }] })
      .withResponse();
    const refused = await send({ model: `nope-${s}`, messages: [{ role: "user", content: "who" }] });
    await bodySink().flush();
    const row = (r: Response) => db.requestBody.findUniqueOrThrow({ where: { requestId: r.headers.get("x-request-id")! } });
    const p = await row(plain);
    expect(p.workspaceId).toBe(ws.id);
    expect(JSON.parse(p.request).messages[0].content).toBe("keep me");
    expect(JSON.parse(p.response).choices[0].message.content).toBe('echo: "keep me"');
    expect(p.truncated).toBe(false);
    const st = await row(streamed);
    expect(st.response).toContain('"Hel"');
    expect(st.response.trim().endsWith("data: [DONE]")).toBe(true);
    const an = await row(response);
    expect(JSON.parse(an.response)).toMatchObject({ type: "message", content: [{ type: "text", text: 'echo: "claude me"' }] });
    expect(JSON.parse((await row(refused)).response).error.code).toBe("model_not_found");
    const all = await db.requestBody.findMany({ where: { workspaceId: ws.id } });
    expect(all).toHaveLength(4);
    for (const r of all) expect(r.request + r.response).not.toContain(key);
  });

  it("caps each side at 256 KB and marks the row truncated", async () => {
    const { s, key } = await setup({ storeBodies: true });
    const big = "word ".repeat(60 * 1024); // 300 KB (a long run without spaces is slow to tokenize)
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `wide-${s}`, messages: [{ role: "user", content: big }] }),
    });
    expect(res.status).toBe(200);
    await bodySink().flush();
    const row = await db.requestBody.findUniqueOrThrow({ where: { requestId: res.headers.get("x-request-id")! } });
    expect(row.truncated).toBe(true);
    expect(Buffer.byteLength(row.request)).toBe(256 * 1024);
    expect(Buffer.byteLength(row.response)).toBe(256 * 1024);
  });
});

describe("route timeouts as configuration", () => {
  it("export writes them, applying the export changes nothing, a changed value updates the routes with an audit entry", async () => {
    const { s } = await setup();
    const exported = (await exportConfig({ actor: tokenActor })).models as { name: string; routes: { timeouts?: unknown }[] }[];
    const mine = exported.filter((m) => m.name.endsWith(s));
    expect(mine.find((m) => m.name === `slowfirst-${s}`)!.routes[0].timeouts).toEqual({ firstTokenMs: 300, totalMs: 5_000 });
    expect(mine.find((m) => m.name === `chat-${s}`)!.routes[0]).not.toHaveProperty("timeouts");
    const again = await applyConfig({ actor: tokenActor, doc: { models: mine } });
    expect(again.changes.filter((c) => c.section === "models" && c.action !== "unchanged")).toEqual([]);
    const slow = mine.find((m) => m.name === `slowfirst-${s}`)!;
    const changed = { ...slow, routes: [{ ...slow.routes[0], timeouts: { firstTokenMs: 300, totalMs: 9_000 } }, ...slow.routes.slice(1)] };
    const r = await applyConfig({ actor: tokenActor, doc: { models: [changed] } });
    expect(r.changes).toContainEqual(expect.objectContaining({ section: "models", name: `slowfirst-${s}`, action: "update" }));
    const route = await db.modelRoute.findFirstOrThrow({ where: { model: { name: `slowfirst-${s}` }, upstreamModel: "slow-first" } });
    expect([route.connectTimeoutMs, route.firstTokenTimeoutMs, route.totalTimeoutMs]).toEqual([null, 300, 9_000]);
    const audit = await db.auditEntry.findFirstOrThrow({
      where: { action: "model.routes.set", targetLabel: `slowfirst-${s}` },
      orderBy: { at: "desc" },
    });
    expect(JSON.stringify(audit.changes)).toContain("timeouts -/300/9000 ms");
    const bad = await applyConfig({
      actor: tokenActor,
      doc: { models: [{ ...changed, routes: [{ ...changed.routes[0], timeouts: { firstTokenMs: 50 } }] }] },
    }).catch((e) => e);
    expect(bad.fields).toContainEqual(expect.objectContaining({ path: "models[0].routes[0].timeouts.firstTokenMs" }));
  });
});
