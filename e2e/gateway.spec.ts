import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { E2E } from "./support/env";
import { applyConfigViaApi, createKeyViaApi, revokeKeyViaApi, usageRecordViaApi } from "./support/gateway";
import { bearer, createWorkspaceViaApi } from "./support/helpers";

// The gateway through the official OpenAI and Anthropic SDKs against a local upstream that speaks OpenAI's wire
// format. Everything goes through the server's APIs (keys and usage records from the admin API), so the spec runs
// on the embedded database like every other.

const api = `${E2E.baseURL}/api/v1`;
let upstream: http.Server;
let upstreamBase = "";
const closedEarly = new Set<string>();
const calls: string[] = [];

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "up", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const usageChunk = `data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "up", choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } })}\n\n`;
const toolCall = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } };

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
        return res.end(
          JSON.stringify({
            object: "list",
            model: body.model,
            data: [{ object: "embedding", index: 0, embedding }],
            usage: { prompt_tokens: 4, total_tokens: 4 },
          }),
        );
      }
      if (body.model === "down") {
        res.writeHead(503, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "overloaded", type: "server_error" } }));
      }
      if (body.model === "limited") {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "30" });
        return res.end(JSON.stringify({ error: { message: "slow down", type: "rate_limit_error" } }));
      }
      if (body.model === "slow") {
        res.on("close", () => closedEarly.add(`slow ${tag}`));
        return; // no headers, ever: only the route's first-token timeout ends the wait
      }
      if (tag === "bad request") {
        res.writeHead(400, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({
            error: { message: "messages[0] is invalid", type: "invalid_request_error", param: "messages", code: "invalid_value" },
          }),
        );
      }
      const tools = Array.isArray(body.tools) && body.tools.length > 0;
      if (!body.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        const message = tools
          ? { role: "assistant", content: null, tool_calls: [toolCall] }
          : { role: "assistant", content: `echo: ${tag}` };
        return res.end(
          JSON.stringify({
            id: "chatcmpl-up",
            object: "chat.completion",
            created: 1,
            model: body.model,
            choices: [{ index: 0, message, finish_reason: tools ? "tool_calls" : "stop" }],
            usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
          }),
        );
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (tag === "hang") {
        res.write(chunk({ content: "first" }));
        res.on("close", () => closedEarly.add(tag));
        return; // never finishes: only the client's abort ends it
      }
      if (tag === "break") {
        res.write(chunk({ content: "partial" }));
        return setTimeout(() => res.socket?.destroy(), 100);
      }
      if (tools) {
        res.write(
          chunk({
            role: "assistant",
            tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }],
          }),
        );
        res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
        res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }, "tool_calls"));
      } else {
        res.write(chunk({ role: "assistant", content: "Hel" }));
        res.write(chunk({ content: "lo" }, "stop"));
      }
      res.write(usageChunk);
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
const limitedModel = `gw-limited-${s}`;
const slowModel = `gw-slow-${s}`;
// Its own failing platform: the breaker of the shared "down" route opens after the earlier tests' failovers.
const messagesModel = `gw-messages-${s}`;
let wsId = "";
let key = "";
let rpmKey = "";
let revokedKey = "";
let expiredKey = "";
let expiresAt = 0;

const client = (apiKey: string) => new OpenAI({ baseURL: api, apiKey, maxRetries: 0 });
const anthropic = (apiKey: string) => new Anthropic({ baseURL: `${E2E.baseURL}/api`, apiKey, maxRetries: 0 });
const tools = [
  {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Weather of a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  },
];

test.beforeAll(async ({ request }) => {
  await startUpstream();
  const ws = await createWorkspaceViaApi(request);
  wsId = ws.id;
  const limits = { contextWindow: 8000, maxOutputTokens: 1000 };
  const platform = (name: string) => ({
    name: `GW ${name} ${s}`,
    vendor: "openai-compatible",
    baseUrl: upstreamBase,
    internal: true,
    keys: [{ value: `sk-up-${name}-${s}`, description: "primary" }],
  });
  await applyConfigViaApi(request, {
    platforms: [platform("down"), platform("up"), platform("limited"), platform("slow"), platform("down2")],
    models: [
      {
        name: model,
        pricing: { inputPerMillion: 10, outputPerMillion: 30 },
        ...limits,
        routes: [
          { platform: `GW down ${s}`, priority: 1, upstreamModel: "down" },
          { platform: `GW up ${s}`, priority: 2, upstreamModel: "real-model" },
        ],
      },
      {
        name: badModel,
        pricing: { inputPerMillion: 1, outputPerMillion: 1 },
        ...limits,
        routes: [
          { platform: `GW up ${s}`, priority: 1 },
          { platform: `GW down ${s}`, priority: 2 },
        ],
      },
      {
        name: embedModel,
        pricing: { inputPerMillion: 1, outputPerMillion: 0 },
        ...limits,
        routes: [{ platform: `GW up ${s}`, priority: 1, upstreamModel: "embed-up" }],
      },
      {
        name: forbidden,
        pricing: { inputPerMillion: 1, outputPerMillion: 1 },
        ...limits,
        routes: [{ platform: `GW up ${s}`, priority: 1 }],
      },
      {
        name: limitedModel,
        pricing: { inputPerMillion: 1, outputPerMillion: 1 },
        ...limits,
        routes: [
          { platform: `GW limited ${s}`, priority: 1, upstreamModel: "limited" },
          { platform: `GW up ${s}`, priority: 2, upstreamModel: "real-model" },
        ],
      },
      {
        name: messagesModel,
        pricing: { inputPerMillion: 10, outputPerMillion: 30 },
        ...limits,
        routes: [
          { platform: `GW down2 ${s}`, priority: 1, upstreamModel: "down" },
          { platform: `GW up ${s}`, priority: 2, upstreamModel: "real-model" },
        ],
      },
      {
        name: slowModel,
        pricing: { inputPerMillion: 1, outputPerMillion: 1 },
        ...limits,
        routes: [
          { platform: `GW slow ${s}`, priority: 1, upstreamModel: "slow", timeouts: { firstTokenMs: 500, totalMs: 5_000 } },
          { platform: `GW up ${s}`, priority: 2, upstreamModel: "real-model" },
        ],
      },
    ],
  });
  const allowedModels = [model, badModel, embedModel, limitedModel, slowModel, messagesModel];
  key = (await createKeyViaApi(request, wsId, { allowedModels })).value;
  rpmKey = (await createKeyViaApi(request, wsId, { allowedModels, rpm: 2 })).value;
  const revoked = await createKeyViaApi(request, wsId, { allowedModels });
  await revokeKeyViaApi(request, wsId, revoked.id);
  revokedKey = revoked.value;
  // A key cannot be created already expired: this one expires two seconds from now.
  expiresAt = Date.now() + 2_000;
  expiredKey = (await createKeyViaApi(request, wsId, { allowedModels, expiresAt: new Date(expiresAt).toISOString() })).value;
});

test.afterAll(() => {
  upstream?.close();
});

test.describe("gateway (OpenAI SDK)", () => {
  test("chat without streaming fails over from a 503 route; the usage record shows both attempts and the exact cost", async ({
    request,
  }) => {
    const { data, response } = await client(key)
      .chat.completions.create({ model, messages: [{ role: "user", content: "ping" }], user: "alice" })
      .withResponse();
    expect(data.choices[0].message.content).toBe("echo: ping");
    expect(data.model).toBe(model);
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    const requestId = response.headers.get("x-request-id")!;
    expect(requestId).toBeTruthy();
    const rec = await usageRecordViaApi(request, wsId, requestId);
    expect(rec).toMatchObject({
      endpoint: "chat.completions",
      status: 200,
      outcome: "success",
      userId: "alice",
      inputTokens: 12,
      outputTokens: 3,
      streamed: false,
    });
    expect(rec.costUsd).toBe("0.00021000"); // 12 x $10/M + 3 x $30/M
    expect(rec.attempts.map((a) => [a.upstreamModel, a.status])).toEqual([
      ["down", 503],
      ["real-model", 200],
    ]);
  });

  test("chat streamed arrives chunk by chunk with usage in the final chunk", async ({ request }) => {
    const stream = await client(key).chat.completions.create({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hello" }],
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? "";
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe("Hello");
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2 });
    const raw = await fetch(`${api}/chat/completions`, {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json", "x-agent-id": "agent-42" },
      body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "hello" }] }),
    });
    const body = await raw.text();
    expect(body.trim().endsWith("data: [DONE]")).toBe(true);
    const rec = await usageRecordViaApi(request, wsId, raw.headers.get("x-request-id")!);
    expect(rec).toMatchObject({ outcome: "success", streamed: true, agentId: "agent-42", inputTokens: 9, outputTokens: 2 });
  });

  test("tools: a tool call comes back whole without streaming, and in pieces the SDK assembles when streamed", async () => {
    const done = await client(key).chat.completions.create({ model, tools, messages: [{ role: "user", content: "weather in Oslo?" }] });
    expect(done.choices[0].finish_reason).toBe("tool_calls");
    expect(done.choices[0].message.tool_calls).toEqual([toolCall]);
    const stream = client(key).chat.completions.stream({ model, tools, messages: [{ role: "user", content: "weather in Oslo?" }] });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.tool_calls?.[0]).toMatchObject({
      id: "call_1",
      function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
    });
  });

  test("an upstream 400 comes back at once, without failover", async () => {
    const before = calls.filter((c) => c.includes("bad request")).length;
    const err = await client(key)
      .chat.completions.create({ model: badModel, messages: [{ role: "user", content: "bad request" }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error).toMatchObject({ message: "messages[0] is invalid", code: "invalid_value" });
    expect(calls.filter((c) => c.includes("bad request")).length - before).toBe(1);
  });

  test("a 429 with Retry-After fails over and cools the rate-limited route down: the next call goes straight to the other route", async ({
    request,
  }) => {
    const first = await client(key)
      .chat.completions.create({ model: limitedModel, messages: [{ role: "user", content: "first" }] })
      .withResponse();
    expect(first.data.choices[0].message.content).toBe("echo: first");
    const rec1 = await usageRecordViaApi(request, wsId, first.response.headers.get("x-request-id")!);
    expect(rec1.attempts.map((a) => [a.upstreamModel, a.status])).toEqual([
      ["limited", 429],
      ["real-model", 200],
    ]);
    const limitedCalls = calls.filter((c) => c.includes(" limited ")).length;
    const second = await client(key)
      .chat.completions.create({ model: limitedModel, messages: [{ role: "user", content: "second" }] })
      .withResponse();
    expect(second.data.choices[0].message.content).toBe("echo: second");
    const rec2 = await usageRecordViaApi(request, wsId, second.response.headers.get("x-request-id")!);
    expect(rec2.attempts.map((a) => [a.upstreamModel, a.status])).toEqual([["real-model", 200]]);
    expect(calls.filter((c) => c.includes(" limited ")).length).toBe(limitedCalls);
  });

  test("a route that does not answer within its first-token timeout (set in the config) fails over; the trace shows the timeout", async ({
    request,
  }) => {
    const t0 = Date.now();
    const { data, response } = await client(key)
      .chat.completions.create({ model: slowModel, messages: [{ role: "user", content: "patience" }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe("echo: patience");
    expect(Date.now() - t0).toBeLessThan(4_000);
    await expect.poll(() => closedEarly.has("slow patience"), { timeout: 5_000 }).toBe(true);
    const rec = await usageRecordViaApi(request, wsId, response.headers.get("x-request-id")!);
    expect(rec.attempts.map((a) => [a.upstreamModel, a.status])).toEqual([
      ["slow", null],
      ["real-model", 200],
    ]);
    expect(rec.attempts[0].error).toContain("timeout");
    // The route's timeouts are part of the model's routes in the admin API and in the exported configuration.
    const exported = await (await request.get("/api/admin/config", { headers: bearer(E2E.envToken) })).text();
    expect(exported).toMatch(/upstreamModel: slow\s+timeouts:\s+firstTokenMs: 500\s+totalMs: 5000/);
  });

  test("unknown model 404, model not allowed 403, bad, revoked and expired keys 401, broken JSON 400, huge body 413", async () => {
    const nf = await client(key)
      .chat.completions.create({ model: `nope-${s}`, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(nf).toBeInstanceOf(OpenAI.NotFoundError);
    expect(nf.code).toBe("model_not_found");
    const fb = await client(key)
      .chat.completions.create({ model: forbidden, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(fb).toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect.poll(() => Date.now() > expiresAt + 100).toBe(true);
    for (const k of ["sk-sb-not-a-real-key-000", revokedKey, expiredKey]) {
      const e = await client(k)
        .chat.completions.create({ model, messages: [{ role: "user", content: "x" }] })
        .catch((x) => x);
      expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(e.error).toMatchObject({ code: "invalid_api_key", type: "invalid_request_error" });
    }
    const broken = await fetch(`${api}/chat/completions`, {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json" },
      body: "{oops",
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_json");
    const huge = await fetch(`${api}/chat/completions`, {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json" },
      body: "x".repeat(5 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });

  test("the RPM limit answers 429 with Retry-After", async () => {
    const send = () =>
      fetch(`${api}/chat/completions`, {
        method: "POST",
        headers: { ...bearer(rpmKey), "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "r" }] }),
      });
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

  test("a client abort mid-stream cancels the upstream call and is recorded as 499", async ({ request }) => {
    const ac = new AbortController();
    const { data: stream, response } = await client(key)
      .chat.completions.create({ model, stream: true, messages: [{ role: "user", content: "hang" }] }, { signal: ac.signal })
      .withResponse();
    const requestId = response.headers.get("x-request-id")!;
    for await (const c of stream) {
      expect(c.choices[0].delta.content).toBe("first");
      ac.abort();
      break;
    }
    await expect.poll(() => closedEarly.has("hang"), { timeout: 10_000 }).toBe(true);
    expect(await usageRecordViaApi(request, wsId, requestId)).toMatchObject({ status: 499, outcome: "client_aborted" });
  });

  test("an upstream failure mid-stream ends the stream with an error event and no [DONE]", async ({ request }) => {
    const res = await fetch(`${api}/chat/completions`, {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json" },
      body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "break" }] }),
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("partial");
    expect(body).toContain("stream_interrupted");
    expect(body).not.toContain("[DONE]");
    expect(await usageRecordViaApi(request, wsId, res.headers.get("x-request-id")!)).toMatchObject({ outcome: "partial", streamed: true });
  });

  test("a deployment added through the admin API answers its first call, before two health checks could have passed", async ({
    request,
  }) => {
    // Default health check (every 30 s, healthy after 2): the never-checked instance takes the call.
    const deployment = `gw-dep-${s}`;
    const created = await request.post("/api/admin/deployments", {
      headers: bearer(E2E.envToken),
      data: { name: deployment, internal: true, instances: [{ url: upstreamBase }] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const selfHosted = `gw-self-${s}`;
    await applyConfigViaApi(request, {
      models: [
        {
          name: selfHosted,
          pricing: { inputPerMillion: 1, outputPerMillion: 1 },
          contextWindow: 8000,
          maxOutputTokens: 1000,
          routes: [{ deployment, priority: 1, upstreamModel: "self-hosted" }],
        },
      ],
    });
    const k = (await createKeyViaApi(request, wsId, { allowedModels: [selfHosted] })).value;
    const r = await client(k).chat.completions.create({ model: selfHosted, messages: [{ role: "user", content: "first call" }] });
    expect(r.choices[0].message.content).toBe("echo: first call");
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

test.describe("gateway (Anthropic SDK, POST /v1/messages)", () => {
  test("a message without streaming, routed like chat (503 -> next route) and metered as endpoint messages", async ({ request }) => {
    const { data, response } = await anthropic(key)
      .messages.create({
        model: messagesModel,
        max_tokens: 100,
        messages: [{ role: "user", content: "ping" }],
        metadata: { user_id: "bea" },
      })
      .withResponse();
    expect(data).toMatchObject({
      type: "message",
      role: "assistant",
      model: messagesModel,
      stop_reason: "end_turn",
      content: [{ type: "text", text: "echo: ping" }],
    });
    expect(data.usage).toMatchObject({ input_tokens: 12, output_tokens: 3 });
    const rec = await usageRecordViaApi(request, wsId, response.headers.get("x-request-id")!);
    expect(rec).toMatchObject({
      endpoint: "messages",
      status: 200,
      outcome: "success",
      userId: "bea",
      inputTokens: 12,
      outputTokens: 3,
      streamed: false,
    });
    expect(rec.attempts.map((a) => a.status)).toEqual([503, 200]);
  });

  test("a streamed message arrives as Anthropic events that the SDK assembles", async () => {
    const stream = anthropic(key).messages.stream({ model, max_tokens: 100, messages: [{ role: "user", content: "hello" }] });
    const events: string[] = [];
    stream.on("streamEvent", (e) => events.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: "text", text: "Hello" })]);
    expect(final.usage.output_tokens).toBe(2);
    expect(events[0]).toBe("message_start");
    expect(events).toContain("content_block_start");
    expect(events).toContain("content_block_delta");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
  });

  test("tools both ways, streamed and not", async () => {
    const anthropicTools = [
      {
        name: "get_weather",
        description: "Weather of a city",
        input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
      },
    ];
    const msg = await anthropic(key).messages.create({
      model,
      max_tokens: 100,
      tools: anthropicTools,
      messages: [{ role: "user", content: "weather?" }],
    });
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toEqual([{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Oslo" } }]);
    const streamed = await anthropic(key)
      .messages.stream({ model, max_tokens: 100, tools: anthropicTools, messages: [{ role: "user", content: "weather?" }] })
      .finalMessage();
    expect(streamed.stop_reason).toBe("tool_use");
    expect(streamed.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Oslo" } });
  });

  test("errors in Anthropic's shape: a bad key 401, an upstream 400 without failover", async () => {
    const bad = await anthropic("sk-sb-not-a-real-key-000")
      .messages.create({ model, max_tokens: 10, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(bad.error).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const before = calls.filter((c) => c.includes("bad request")).length;
    const refused = await anthropic(key)
      .messages.create({ model: badModel, max_tokens: 10, messages: [{ role: "user", content: "bad request" }] })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(refused.error).toEqual({ type: "error", error: { type: "invalid_request_error", message: "messages[0] is invalid" } });
    expect(calls.filter((c) => c.includes("bad request")).length - before).toBe(1);
  });
});

test.describe("metering", () => {
  test('a "user" with a NUL among 20 good calls: every call is recorded and reported, nothing is set aside', async ({ request }) => {
    // A workspace of its own, so the report counts exactly these calls.
    const ws = await createWorkspaceViaApi(request);
    const meterKey = (await createKeyViaApi(request, ws.id, { allowedModels: [badModel] })).value;
    const send = (user: string, i: number) =>
      fetch(`${api}/chat/completions`, {
        method: "POST",
        headers: { ...bearer(meterKey), "content-type": "application/json" },
        body: JSON.stringify({ model: badModel, user, messages: [{ role: "user", content: `meter ${i}` }] }),
      });
    // Sent together, so the poisoned record shares its batch with good ones.
    const users = Array.from({ length: 21 }, (_, i) => (i === 10 ? "bad\u0000user" : `good-${i % 3}`));
    const responses = await Promise.all(users.map(send));
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 200));
    const ids = responses.map((r) => r.headers.get("x-request-id")!);

    const poisoned = await usageRecordViaApi(request, ws.id, ids[10]);
    expect(poisoned).toMatchObject({ status: 200, outcome: "success", userId: "bad\uFFFDuser", inputTokens: 12, outputTokens: 3 });
    for (const id of ids) expect((await usageRecordViaApi(request, ws.id, id)).requestId).toBe(id);

    const report = await request.get(`/api/admin/usage?groupBy=user&workspaceId=${ws.id}`, { headers: bearer(E2E.envToken) });
    expect(report.status()).toBe(200);
    const body = (await report.json()) as { totals: { requests: number }; data: { group: string; requests: number }[] };
    expect(body.totals.requests).toBe(21);
    expect(body.data.find((g) => g.group === "bad\uFFFDuser")?.requests).toBe(1);

    const dead = await request.get(`/api/admin/usage/dead-letters?workspaceId=${ws.id}`, { headers: bearer(E2E.envToken) });
    expect(dead.status()).toBe(200);
    expect(await dead.json()).toEqual({ data: [], nextCursor: null });
  });
});
