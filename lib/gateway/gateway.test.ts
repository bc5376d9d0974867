import { describe, expect, it } from "vitest";
import { openAIAdapter } from "./adapters/openai";
import { adapterFor } from "./adapters";
import { Breakers } from "./breaker";
import { redact, upstreamOpenAIError } from "./errors";
import { exactChatTokens } from "./estimate";
import { MemoryLimits, secondsToNextMinute, secondsToNextMonth } from "./limits";
import { BufferedUsageSink, costOf, type MicroPrice } from "./metering";
import { candidateOrder, weightedPick } from "./routing";
import { chatCompletionSchema, findForbiddenKey } from "../schemas/gateway";
import type { UsageEvent } from "./types";

// A seeded generator so weight shares are reproducible.
function rng(seed = 42) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

describe("routing choice", () => {
  it("splits picks by weight over many draws", () => {
    const items = [
      { id: "a", weight: 3 },
      { id: "b", weight: 1 },
    ];
    const r = rng();
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 20_000; i++) counts[weightedPick(items, r)!.id]++;
    expect(counts.a / 20_000).toBeGreaterThan(0.72);
    expect(counts.a / 20_000).toBeLessThan(0.78);
  });

  it("keeps priority groups in order and shuffles only within a group by weight", () => {
    const routes = [
      { id: "p2", priority: 2, weight: 1 },
      { id: "p1a", priority: 1, weight: 9 },
      { id: "p1b", priority: 1, weight: 1 },
      { id: "p3", priority: 3, weight: 5 },
    ];
    const r = rng(7);
    let firstA = 0;
    for (let i = 0; i < 5_000; i++) {
      const order = candidateOrder(routes, r).map((x) => x.id);
      expect(order.slice(2)).toEqual(["p2", "p3"]);
      expect(new Set(order.slice(0, 2))).toEqual(new Set(["p1a", "p1b"]));
      if (order[0] === "p1a") firstA++;
    }
    expect(firstA / 5_000).toBeGreaterThan(0.87);
    expect(firstA / 5_000).toBeLessThan(0.93);
  });
});

describe("circuit breaker", () => {
  it("opens after N failures, lets one half-open probe through, and closes on success", () => {
    const b = new Breakers({ threshold: 3, openMs: 1_000, maxCooldownMs: 10_000 });
    b.failure("k", 0);
    b.failure("k", 0);
    expect(b.state("k", 0)).toBe("closed");
    b.failure("k", 0);
    expect(b.state("k", 10)).toBe("open");
    expect(b.tryAcquire("k", 500)).toBe(false);
    expect(b.state("k", 1_000)).toBe("half-open");
    expect(b.tryAcquire("k", 1_000)).toBe(true);
    expect(b.tryAcquire("k", 1_001)).toBe(false); // only one probe
    b.success("k");
    expect(b.state("k", 1_002)).toBe("closed");
    expect(b.tryAcquire("k", 1_002)).toBe(true);
  });

  it("reopens when the probe fails, and a cooldown is capped", () => {
    const b = new Breakers({ threshold: 1, openMs: 1_000, maxCooldownMs: 5_000 });
    b.failure("k", 0);
    expect(b.tryAcquire("k", 1_000)).toBe(true);
    b.failure("k", 1_000);
    expect(b.state("k", 1_500)).toBe("open");
    b.cooldown("x", 3_600_000, 0);
    expect(b.state("x", 4_999)).toBe("open");
    expect(b.state("x", 5_000)).toBe("half-open");
  });

  it("a released probe (client abort, 4xx) does not count as a failure", () => {
    const b = new Breakers({ threshold: 1, openMs: 1_000, maxCooldownMs: 5_000 });
    b.failure("k", 0);
    expect(b.tryAcquire("k", 1_000)).toBe(true);
    b.release("k");
    expect(b.tryAcquire("k", 1_000)).toBe(true);
  });
});

describe("limits (in memory)", () => {
  const now = Date.UTC(2026, 10, 22, 3, 30, 15);

  it("refuses the request past the RPM limit with Retry-After to the next minute", async () => {
    const l = new MemoryLimits();
    for (let i = 0; i < 3; i++) expect((await l.reserve("k", { rpm: 3 }, 1, 0, now)).ok).toBe(true);
    const d = await l.reserve("k", { rpm: 3 }, 1, 0, now);
    expect(d).toMatchObject({ ok: false, limit: "rpm", retryAfterSeconds: 45 });
    expect((await l.reserve("k", { rpm: 3 }, 1, 0, now + 45_000)).ok).toBe(true);
  });

  it("50 concurrent reserves against a budget never overspend", async () => {
    const l = new MemoryLimits(async () => 0.25); // already spent this month
    const results = await Promise.all(Array.from({ length: 50 }, () => l.reserve("b", { monthlyBudgetUsd: 1 }, 10, 0.1, now)));
    const ok = results.filter((r) => r.ok);
    expect(ok.length).toBe(7); // 0.25 + 7 x 0.1 = 0.95; an 8th would be 1.05
    const refused = results.find((r) => !r.ok)!;
    expect(refused).toMatchObject({ limit: "budget", retryAfterSeconds: secondsToNextMonth(now) });
    expect(l.peek("b", now).spendUsd).toBeCloseTo(0.95, 6);
  });

  it("TPM holds the estimate and reconcile swaps it for the actual use", async () => {
    const l = new MemoryLimits();
    const a = await l.reserve("t", { tpm: 1000 }, 800, 0, now);
    expect(a.ok).toBe(true);
    expect((await l.reserve("t", { tpm: 1000 }, 300, 0, now)).ok).toBe(false);
    if (a.ok) await l.reconcile(a.reservation, 100, 0, now);
    expect(l.peek("t", now).tokens).toBe(100);
    expect((await l.reserve("t", { tpm: 1000 }, 300, 0, now)).ok).toBe(true);
  });

  it("a budget added mid-month starts from the recorded spend, not recorded spend plus what was already counted", async () => {
    // $0.30 went through this process before the key had a budget; the records (the seed) hold those $0.30 too.
    const l = new MemoryLimits(async () => 0.3);
    for (let i = 0; i < 3; i++) {
      const r = await l.reserve("m", { rpm: 100 }, 1, 0.1, now);
      if (r.ok) await l.reconcile(r.reservation, 1, 0.1, now);
    }
    expect((await l.reserve("m", { monthlyBudgetUsd: 1 }, 1, 0.6, now)).ok).toBe(true);
    expect(l.peek("m", now).spendUsd).toBeCloseTo(0.9, 6);
    expect(await l.reserve("m", { monthlyBudgetUsd: 1 }, 1, 0.2, now)).toMatchObject({ ok: false, limit: "budget" });
  });

  it("a failed call gives its budget hold back", async () => {
    const l = new MemoryLimits();
    const a = await l.reserve("r", { monthlyBudgetUsd: 1 }, 1, 0.9, now);
    if (a.ok) await l.reconcile(a.reservation, 0, 0, now);
    expect(l.peek("r", now).spendUsd).toBe(0);
    expect(secondsToNextMinute(now)).toBe(45);
  });
});

describe("cost", () => {
  const prices: MicroPrice[] = [
    { effectiveFrom: new Date("2026-01-01T00:00:00Z"), input: 10_000_000n, output: 30_000_000n, cached: 5_000_000n },
    { effectiveFrom: new Date("2026-06-01T00:00:00Z"), input: 150_000n, output: 600_000n, cached: null },
  ];

  it("bills input minus cached at the input price, cached at the cached price, output at the output price", () => {
    const c = costOf({ inputTokens: 1_000, outputTokens: 500, cachedTokens: 200 }, prices, new Date("2026-03-01T00:00:00Z"));
    // 800 x 10/M + 200 x 5/M + 500 x 30/M = 0.008 + 0.001 + 0.015
    expect(c).toBe("0.02400000");
  });

  it("uses the price in force at the request time, and the input price for cached tokens when there is no cached price", () => {
    const c = costOf({ inputTokens: 7, outputTokens: 3, cachedTokens: 2 }, prices, new Date("2026-07-01T00:00:00Z"));
    // 7 x 0.15/M + 3 x 0.6/M = 0.00000105 + 0.0000018 = 0.00000285
    expect(c).toBe("0.00000285");
    expect(costOf({ inputTokens: 1, outputTokens: 0, cachedTokens: 0 }, prices, new Date("2025-12-31T00:00:00Z"))).toBe("0.00000000");
  });

  it("is exact for large counts (no float drift)", () => {
    const c = costOf({ inputTokens: 123_456_789, outputTokens: 987_654_321, cachedTokens: 0 }, prices, new Date("2026-03-01T00:00:00Z"));
    expect(c).toBe("30864.19752000");
  });
});

describe("request schema", () => {
  const base = { model: "m", messages: [{ role: "user", content: "hi" }] };
  it("accepts tools, JSON mode and images", () => {
    const r = chatCompletionSchema.safeParse({
      ...base,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
      ],
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      response_format: { type: "json_object" },
    });
    expect(r.success).toBe(true);
  });
  it("refuses fields that would choose a host or credential, at any depth", () => {
    expect(findForbiddenKey({ ...base, api_base: "http://evil" })).toBe("api_base");
    expect(findForbiddenKey({ ...base, metadata: { nested: [{ extra_headers: {} }] } })).toBe("metadata.nested[0].extra_headers");
    expect(findForbiddenKey({ ...base, messages: [{ role: "user", content: "x", api_key: "sk" }] })).toBe("messages[0].api_key");
    expect(findForbiddenKey(base)).toBeNull();
    expect(chatCompletionSchema.safeParse({ ...base, base_url: "x" }).success).toBe(false);
    expect(chatCompletionSchema.safeParse({ ...base, user_config: {} }).success).toBe(false);
  });
  it("estimates tokens of a message", async () => {
    expect(await exactChatTokens(base)).toBeGreaterThan(4);
    expect(await exactChatTokens({ messages: [{ role: "user", content: "hello ".repeat(1000) }] })).toBeGreaterThan(900);
  });
});

describe("OpenAI-family adapter", () => {
  it("replaces the model, adds include_usage for streams and uses Bearer auth", () => {
    const r = openAIAdapter.chatRequest(
      { vendor: "openai", baseUrl: "https://api.example.com/v1", upstreamModel: "gpt-x", apiKey: "sk-1", internal: false },
      { model: "logical", messages: [] },
      { stream: true },
    );
    expect(r.url).toBe("https://api.example.com/v1/chat/completions");
    expect(r.headers.authorization).toBe("Bearer sk-1");
    expect(JSON.parse(r.body!)).toMatchObject({ model: "gpt-x", stream: true, stream_options: { include_usage: true } });
  });
  it("speaks Azure's deployment URL and api-key header", () => {
    const r = adapterFor("azure").chatRequest(
      {
        vendor: "azure",
        baseUrl: "https://res.openai.azure.com/openai",
        apiVersion: "2024-06-01",
        upstreamModel: "my dep",
        apiKey: "az",
        internal: false,
      },
      { model: "m", messages: [] },
      { stream: false },
    );
    expect(r.url).toBe("https://res.openai.azure.com/openai/deployments/my%20dep/chat/completions?api-version=2024-06-01");
    expect(r.headers["api-key"]).toBe("az");
    expect(r.headers.authorization).toBeUndefined();
  });
  it("collects usage from the final chunk and notices [DONE] and in-band errors", () => {
    const c = openAIAdapter.streamConverter({ requestModel: "m", id: "x", created: 1 });
    expect(c.push({ data: JSON.stringify({ id: "a", choices: [{ delta: { content: "hi" } }] }) })[0]).toMatchObject({ model: "m" });
    c.push({
      data: JSON.stringify({
        id: "a",
        choices: [],
        usage: { prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 1 } },
      }),
    });
    expect(c.usage()).toEqual({ inputTokens: 5, outputTokens: 2, cachedTokens: 1 });
    c.push({ data: "[DONE]" });
    expect(c.done()).toBe(true);
    const e = openAIAdapter.streamConverter({ requestModel: "m", id: "x", created: 1 });
    e.push({ data: JSON.stringify({ error: { message: "boom" } }) });
    expect(e.error()?.message).toBe("boom");
  });
  it("every vendor has an adapter, and an unknown vendor is refused with a typed error", () => {
    for (const v of ["openai", "azure", "anthropic", "google", "aliyun", "tencent", "bytedance", "openai-compatible"]) {
      expect(typeof adapterFor(v).chatRequest, v).toBe("function");
    }
    expect(() => adapterFor("acme")).toThrow(/not supported by this build/);
  });
  it("passes an upstream error through only in OpenAI's shape and without keys", () => {
    const e = upstreamOpenAIError(
      JSON.stringify({ error: { message: "Incorrect API key provided: sk-abcdefghijklmnop", type: "invalid_request_error", code: "x" } }),
    );
    expect(e?.error.message).toBe("Incorrect API key provided: [redacted]");
    expect(upstreamOpenAIError("<html>")).toBeNull();
    expect(redact("used secret-value-1 here", "secret-value-1")).toBe("used [redacted] here");
  });
});

describe("usage sink", () => {
  const event = (i: number): UsageEvent => ({
    requestId: `r${i}`,
    at: new Date(),
    workspaceId: "w",
    virtualKeyId: "k",
    userId: null,
    agentId: null,
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
    usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
    estimated: false,
    costUsd: 0.00000285,
    latencyMs: 1,
    ttftMs: null,
    streamed: false,
  });
  it("writes queued events in batches, keeps them on failure, and drops beyond the bound", async () => {
    const writes: number[] = [];
    let fail = true;
    const sink = new BufferedUsageSink(async (rows) => {
      if (fail) throw new Error("db down");
      writes.push(rows.length);
    }, 2_500);
    for (let i = 0; i < 3_000; i++) sink.record(event(i));
    expect(sink.pending).toBe(2_500);
    expect(sink.dropped).toBe(500);
    await sink.flush();
    expect(sink.pending).toBe(2_500);
    fail = false;
    await sink.flush();
    expect(writes).toEqual([250, 250, 250, 250, 250, 250, 250, 250, 250, 250]);
    expect(sink.pending).toBe(0);
  });
});
