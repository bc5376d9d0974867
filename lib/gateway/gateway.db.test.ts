import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { applyConfig } from "../config/apply-config";
import { gatewayFetchHandler, handleGateway, type GwRequest } from "./handler";
import { BufferedUsageSink, usageSink } from "./metering";
import type { GwResponse } from "./pipeline";
import { buildSnapshot, refreshSnapshotNow } from "./snapshot";
import { bumpGatewayVersion, readGatewayVersion } from "./version";
import type { UsageEvent } from "./types";

useTestDb();

// A local upstream speaking OpenAI's wire format. `mode` per upstream model name decides what it does.
let upstream: http.Server;
let base = "";
const seen: string[] = [];
beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}");
      seen.push(`${body.model}:${req.headers.authorization}`);
      if (body.model === "down") {
        res.writeHead(503, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "overloaded", type: "server_error" } }));
      }
      if (body.model === "moved") {
        res.writeHead(307, { location: `${base}/elsewhere`, "content-type": "application/json" });
        return res.end(JSON.stringify({ moved: true }));
      }
      if (body.model === "bad") {
        res.writeHead(400, { "content-type": "application/json", "x-secret-upstream": "1" });
        return res.end(
          JSON.stringify({
            error: {
              message: `bad input for key ${String(req.headers.authorization).slice(7)}`,
              type: "invalid_request_error",
              code: "bad",
            },
          }),
        );
      }
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "Hel" } }] })}\n\n`,
        );
        res.write(
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "lo" }, finish_reason: "stop" }] })}\n\n`,
        );
        res.write(
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 } })}\n\n`,
        );
        return res.end("data: [DONE]\n\n");
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "c2",
          object: "chat.completion",
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1000, completion_tokens: 500, prompt_tokens_details: { cached_tokens: 200 } },
        }),
      );
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});
afterAll(() => upstream.close());

function call(method: string, path: string, opts: { key?: string; body?: unknown } = {}) {
  const requestId = `req_${crypto.randomBytes(8).toString("hex")}`;
  const raw =
    opts.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body));
  const headers: Record<string, string> = opts.key ? { authorization: `Bearer ${opts.key}` } : {};
  const req: GwRequest = {
    method,
    pathname: path,
    requestId,
    header: (n) => headers[n],
    readBody: async (limit) => (raw.length > limit ? null : raw),
    signal: new AbortController().signal,
  };
  const out = { status: 0, headers: {} as Record<string, string>, text: "" };
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const res: GwResponse = {
    head: (s, h) => {
      out.status = s;
      out.headers = h;
    },
    write: (c) => {
      out.text += c;
    },
    end: (c) => {
      out.text += c ?? "";
      done();
    },
  };
  return handleGateway(req, res)
    .then(() => finished)
    .then(() => ({ ...out, requestId, json: () => JSON.parse(out.text) }));
}

async function setup() {
  const s = suffix();
  const ws = await createWorkspace();
  const doc = {
    platforms: [
      {
        name: `Broken ${s}`,
        vendor: "openai-compatible",
        baseUrl: base,
        internal: true,
        keys: [{ value: `sk-broken-${s}`, description: "only" }],
      },
      {
        name: `Good ${s}`,
        vendor: "openai-compatible",
        baseUrl: base,
        internal: true,
        keys: [{ value: `sk-good-${s}`, description: "only" }],
      },
    ],
    models: [
      {
        name: `chat-${s}`,
        pricing: { inputPerMillion: 10, outputPerMillion: 30, cachedInputPerMillion: 5 },
        contextWindow: 1000,
        maxOutputTokens: 100,
        routes: [
          { platform: `Broken ${s}`, priority: 1, upstreamModel: "down" },
          { platform: `Good ${s}`, priority: 2, upstreamModel: "real" },
        ],
      },
      {
        name: `bad-${s}`,
        pricing: { inputPerMillion: 1, outputPerMillion: 1 },
        contextWindow: 8000,
        maxOutputTokens: 1000,
        routes: [{ platform: `Good ${s}`, priority: 1, upstreamModel: "bad" }],
      },
      {
        name: `moved-${s}`,
        pricing: { inputPerMillion: 1, outputPerMillion: 1 },
        contextWindow: 8000,
        maxOutputTokens: 1000,
        routes: [
          { platform: `Good ${s}`, priority: 1, upstreamModel: "moved" },
          { platform: `Broken ${s}`, priority: 2, upstreamModel: "real" },
        ],
      },
      {
        name: `other-${s}`,
        pricing: { inputPerMillion: 1, outputPerMillion: 1 },
        contextWindow: 8000,
        maxOutputTokens: 1000,
        routes: [{ platform: `Good ${s}`, priority: 1 }],
      },
    ],
  };
  await applyConfig({ actor: tokenActor, doc }).catch((e) => {
    throw new Error(JSON.stringify(e.fields));
  });
  const key = `sk-sb-${crypto.randomBytes(16).toString("hex")}`;
  const vk = await db.virtualKey.create({
    data: {
      workspaceId: ws.id,
      name: `k-${s}`,
      prefix: key.slice(0, 10),
      keyHash: crypto.createHash("sha256").update(key).digest("hex"),
      allowedModels: [`chat-${s}`, `bad-${s}`],
      rpm: 100,
    },
  });
  await bumpGatewayVersion(db);
  return { s, ws, key, vk };
}

async function recordFor(requestId: string) {
  await usageSink().flush();
  return db.usageRecord.findUniqueOrThrow({ where: { requestId } });
}

describe("gateway snapshot", () => {
  it("is built from the registry and rebuilt when the version moves", async () => {
    const { s, key } = await setup();
    const snap = await buildSnapshot();
    const model = snap.models.get(`chat-${s}`)!;
    expect(model.routes.map((r) => r.upstreamModel)).toEqual(["down", "real"]);
    expect(model.prices[0].input).toBe(10_000_000n);
    const p = snap.platforms.get(model.routes[1].platformId!)!;
    expect(p.keys).toHaveLength(1);
    expect(JSON.stringify(p.keys)).not.toContain(`sk-good-${s}`); // sealed, never plaintext
    expect(snap.keysByHash.get(crypto.createHash("sha256").update(key).digest("hex"))?.allowedModels?.has(`chat-${s}`)).toBe(true);

    const before = await readGatewayVersion(db);
    await applyConfig({
      actor: tokenActor,
      doc: {
        models: [
          {
            name: `late-${suffix()}`,
            pricing: { inputPerMillion: 1, outputPerMillion: 1 },
            contextWindow: 8000,
            maxOutputTokens: 1000,
            routes: [],
          },
        ],
      },
    });
    expect(await readGatewayVersion(db)).toBeGreaterThan(before);
    const again = await refreshSnapshotNow();
    expect(again.version).toBeGreaterThan(snap.version);
  });
});

describe("gateway requests", () => {
  it("fails over from a 503 route to the next, answers in OpenAI's shape, and meters the exact cost with both attempts", async () => {
    const { s, key, vk, ws } = await setup();
    const r = await call("POST", "/api/v1/chat/completions", {
      key,
      body: { model: `chat-${s}`, messages: [{ role: "user", content: "hi" }], user: "alice" },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ model: `chat-${s}`, choices: [{ message: { content: "Hello" } }], usage: { prompt_tokens: 1000 } });
    expect(r.headers["x-request-id"]).toBe(r.requestId);
    const rec = await recordFor(r.requestId);
    expect(rec).toMatchObject({
      workspaceId: ws.id,
      virtualKeyId: vk.id,
      userId: "alice",
      status: 200,
      outcome: "success",
      inputTokens: 1000,
      outputTokens: 500,
      cachedTokens: 200,
      streamed: false,
    });
    // 800 x 10/M + 200 x 5/M + 500 x 30/M
    expect(rec.costUsd.toFixed(8)).toBe("0.02400000");
    const attempts = rec.attempts as { status: number; upstreamModel: string }[];
    expect(attempts.map((a) => [a.upstreamModel, a.status])).toEqual([
      ["down", 503],
      ["real", 200],
    ]);
    expect(seen).toContain(`real:Bearer sk-good-${s}`);
  });

  it("streams chunk by chunk and ends with [DONE]; usage from the final chunk", async () => {
    const { s, key } = await setup();
    const r = await call("POST", "/api/v1/chat/completions", {
      key,
      body: { model: `chat-${s}`, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] },
    });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toContain("text/event-stream");
    const events = r.text.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(events.filter((e) => e.includes('"content"')).length).toBe(2);
    const rec = await recordFor(r.requestId);
    expect(rec).toMatchObject({ outcome: "success", streamed: true, inputTokens: 11, outputTokens: 2 });
    expect(rec.ttftMs).not.toBeNull();
  });

  it("returns an upstream 400 at once, redacted, without failover", async () => {
    const { s, key } = await setup();
    const r = await call("POST", "/api/v1/chat/completions", {
      key,
      body: { model: `bad-${s}`, messages: [{ role: "user", content: "x" }] },
    });
    expect(r.status).toBe(400);
    expect(r.json().error.message).not.toContain(`sk-good-${s}`);
    expect(r.headers["x-secret-upstream"]).toBeUndefined();
    const rec = await recordFor(r.requestId);
    expect((rec.attempts as unknown[]).length).toBe(1);
  });

  it("answers an upstream redirect with 502 upstream_redirect, without following it or failing over, and records the attempt", async () => {
    const { s, key, vk } = await setup();
    await db.virtualKey.update({ where: { id: vk.id }, data: { allowedModels: [`moved-${s}`] } });
    await bumpGatewayVersion(db);
    for (const stream of [false, true]) {
      seen.length = 0;
      const r = await call("POST", "/api/v1/chat/completions", {
        key,
        body: { model: `moved-${s}`, messages: [{ role: "user", content: "x" }], stream },
      });
      expect(r.status).toBe(502);
      expect(r.headers.location).toBeUndefined();
      expect(r.json()).toEqual({
        error: {
          message: "The upstream answered with a redirect (HTTP 307), which the gateway does not follow.",
          type: "upstream_error",
          code: "upstream_redirect",
          param: null,
        },
      });
      expect(seen).toEqual([`moved:Bearer sk-good-${s}`]); // neither /elsewhere nor the second route was called
      const rec = await recordFor(r.requestId);
      expect(rec).toMatchObject({ status: 502, outcome: "error", errorCode: "upstream_redirect" });
      expect(rec.attempts).toMatchObject([{ status: 307, error: "upstream redirected (HTTP 307)", upstreamModel: "moved" }]);
    }
  });

  it("answers bad keys, unknown and forbidden models, oversize requests and caller-chosen hosts in OpenAI's error shape", async () => {
    const { s, key, vk } = await setup();
    const msg = [{ role: "user", content: "x" }];
    expect(
      (await call("POST", "/api/v1/chat/completions", { key: "sk-nope-000000000", body: { model: `chat-${s}`, messages: msg } })).status,
    ).toBe(401);
    expect((await call("POST", "/api/v1/chat/completions", { body: { model: `chat-${s}`, messages: msg } })).json().error.code).toBe(
      "invalid_api_key",
    );
    const nf = await call("POST", "/api/v1/chat/completions", { key, body: { model: `nope-${s}`, messages: msg } });
    expect(nf.status).toBe(404);
    expect(await recordFor(nf.requestId)).toMatchObject({
      status: 404,
      outcome: "error",
      errorCode: "model_not_found",
      model: `nope-${s}`,
      virtualKeyId: vk.id,
    });
    expect((await call("POST", "/api/v1/chat/completions", { key, body: { model: `other-${s}`, messages: msg } })).status).toBe(403);
    expect((await call("POST", "/api/v1/chat/completions", { key, body: "{not json" })).json().error.code).toBe("invalid_json");
    // A tool schema nested 4,500 levels deep overflowed the stack (a 500); refused by depth, with the path.
    // Written as text: JSON.stringify itself would overflow on it.
    const schema = '{"type":"object","properties":{"x":'.repeat(4_500) + '{"type":"string"}' + "}}".repeat(4_500);
    const body = `{"model":"chat-${s}","messages":${JSON.stringify(msg)},"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`;
    const deep = await call("POST", "/api/v1/chat/completions", { key, body });
    expect(deep.status).toBe(400);
    expect(deep.json().error).toMatchObject({
      type: "invalid_request_error",
      code: "nesting_too_deep",
      param: expect.stringMatching(/^tools\[0\]\.function\.parameters\.properties\.x\./),
    });
    const evil = await call("POST", "/api/v1/chat/completions", {
      key,
      body: { model: `chat-${s}`, messages: msg, api_base: "http://169.254.169.254" },
    });
    expect(evil.status).toBe(400);
    expect(evil.json().error.param).toBe("api_base");
    const long = await call("POST", "/api/v1/chat/completions", {
      key,
      body: { model: `chat-${s}`, messages: [{ role: "user", content: "word ".repeat(2000) }] },
    });
    expect(long.json().error.code).toBe("context_length_exceeded");
    // 1,500 bytes cannot be shown to fit 1,000 tokens without counting; counted (about 300 tokens), it fits.
    const counted = await call("POST", "/api/v1/chat/completions", {
      key,
      body: { model: `chat-${s}`, messages: [{ role: "user", content: "word ".repeat(300) }], max_tokens: 10 },
    });
    expect(counted.status).toBe(200);
    expect(
      (await call("POST", "/api/v1/chat/completions", { key, body: { model: `chat-${s}`, messages: msg, max_tokens: 101 } })).json().error
        .code,
    ).toBe("context_length_exceeded");
    await db.virtualKey.update({ where: { id: vk.id }, data: { revokedAt: new Date() } });
    await bumpGatewayVersion(db);
    await refreshSnapshotNow();
    expect((await call("POST", "/api/v1/chat/completions", { key, body: { model: `chat-${s}`, messages: msg } })).status).toBe(401);
  });

  it("lists only the models the key may use", async () => {
    const { s, key } = await setup();
    const r = await call("GET", "/api/v1/models", { key });
    expect(
      r
        .json()
        .data.map((m: { id: string }) => m.id)
        .sort(),
    ).toEqual([`bad-${s}`, `chat-${s}`]);
  });
});

describe("route-handler binding (next dev)", () => {
  it("serves the same gateway through Web Request/Response, streams included", async () => {
    const { s, key } = await setup();
    const headers = {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "x-request-id": "req_binding_test_0001" + suffix(),
    };
    const list = await gatewayFetchHandler(new Request("http://x/api/v1/models", { headers }));
    expect(list.status).toBe(200);
    expect(list.headers.get("x-request-id")).toBe(headers["x-request-id"]);
    expect((await list.json()).data.length).toBe(2);
    const res = await gatewayFetchHandler(
      new Request("http://x/api/v1/chat/completions", {
        method: "POST",
        headers,
        body: JSON.stringify({ model: `chat-${s}`, stream: true, messages: [{ role: "user", content: "hi" }] }),
      }),
    );
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    expect(text).toContain('"Hel"');
    expect(text).not.toContain('"usage"'); // usage was not asked for, so the added usage chunk is not forwarded
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    const bad = await gatewayFetchHandler(new Request("http://x/api/v1/chat/completions", { method: "POST", body: "{}" }));
    expect(bad.status).toBe(401);
  });
});

describe("usage sink", () => {
  it("writes N records in one insert", async () => {
    const ws = await createWorkspace();
    const writes: number[] = [];
    const sink = new BufferedUsageSink(async (rows) => {
      writes.push(rows.length);
      await db.usageRecord.createMany({ data: rows });
    });
    const ids = Array.from({ length: 25 }, () => `req_${crypto.randomBytes(8).toString("hex")}`);
    for (const requestId of ids) {
      const e: UsageEvent = {
        requestId,
        at: new Date(),
        workspaceId: ws.id,
        virtualKeyId: null,
        userId: null,
        agentId: "agent-7",
        model: "m",
        modelId: null,
        platformId: null,
        deploymentId: null,
        upstreamModel: null,
        endpoint: "chat.completions",
        status: 200,
        outcome: "success",
        errorCode: null,
        attempts: [],
        usage: { inputTokens: 3, outputTokens: 4, cachedTokens: 0 },
        estimated: false,
        costUsd: 0.00000285,
        latencyMs: 12,
        ttftMs: null,
        streamed: false,
      };
      sink.record(e);
    }
    await sink.flush();
    expect(writes).toEqual([25]);
    const rows = await db.usageRecord.findMany({ where: { requestId: { in: ids } } });
    expect(rows).toHaveLength(25);
    expect(rows[0].costUsd.toFixed(8)).toBe("0.00000285");
  });
});

describe("Gemini embeddings (the vendor reports no token counts)", () => {
  it("answers OpenAI's shape with estimated prompt tokens, and the usage record is marked estimated", async () => {
    // A local upstream speaking Gemini's batchEmbedContents.
    const paths: string[] = [];
    const gemini = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        paths.push(String(req.url));
        const body = JSON.parse(raw || "{}") as { requests: unknown[] };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ embeddings: body.requests.map(() => ({ values: [0.25, -0.5] })) }));
      });
    });
    await new Promise<void>((r) => gemini.listen(0, "127.0.0.1", r));
    try {
      const s = suffix();
      const ws = await createWorkspace();
      await applyConfig({
        actor: tokenActor,
        doc: {
          platforms: [
            {
              name: `Gemini ${s}`,
              vendor: "google",
              baseUrl: `http://127.0.0.1:${(gemini.address() as AddressInfo).port}/v1beta`,
              internal: true,
              keys: [{ value: `g-${s}`, description: "only" }],
            },
          ],
          models: [
            {
              name: `embed-${s}`,
              pricing: { inputPerMillion: 1, outputPerMillion: 0 },
              contextWindow: 2048,
              maxOutputTokens: 1,
              routes: [{ platform: `Gemini ${s}`, priority: 1, upstreamModel: "text-embedding-004" }],
            },
          ],
        },
      }).catch((e) => {
        throw new Error(JSON.stringify(e.fields));
      });
      const key = `sk-sb-${crypto.randomBytes(16).toString("hex")}`;
      await db.virtualKey.create({
        data: {
          workspaceId: ws.id,
          name: `k-${s}`,
          prefix: key.slice(0, 10),
          keyHash: crypto.createHash("sha256").update(key).digest("hex"),
          allowedModels: [],
        },
      });
      await bumpGatewayVersion(db);
      await refreshSnapshotNow();

      const r = await call("POST", "/api/v1/embeddings", { key, body: { model: `embed-${s}`, input: ["hello world", "good morning"] } });
      expect(r.status).toBe(200);
      const json = r.json();
      expect(json.data.map((d: { index: number; embedding: number[] }) => [d.index, d.embedding])).toEqual([
        [0, [0.25, -0.5]],
        [1, [0.25, -0.5]],
      ]);
      expect(json.usage.prompt_tokens).toBe(4);
      expect(paths[0]).toContain("text-embedding-004:batchEmbedContents");
      const rec = await recordFor(r.requestId);
      expect(rec).toMatchObject({ inputTokens: 4, outputTokens: 0, estimated: true, endpoint: "embeddings" });
    } finally {
      gemini.close();
    }
  });
});
