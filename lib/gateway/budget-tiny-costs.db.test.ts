import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { applyConfig } from "../config/apply-config";
import { processSingleton } from "../db/global";
import { handleGateway, type GwRequest } from "./handler";
import { RedisLimits, toUnits } from "./limits";
import { seedSpendFromUsage } from "./limits-store";
import { usageSink } from "./metering";
import type { GwResponse } from "./pipeline";
import { refreshSnapshotNow } from "./snapshot";
import type { LimitsStore } from "./types";
import { bumpGatewayVersion } from "./version";

useTestDb();

// Calls cheaper than a micro-dollar against a blocking budget of $0.00001, through the gateway: each must count
// in full, so the budget refuses once it is (nearly) spent and the recorded spend never passes it.

// An upstream that reports 5 prompt tokens per embedding call, and 5 in + 5 out per chat completion.
let upstream: http.Server;
let base = "";
beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}");
      res.writeHead(200, { "content-type": "application/json" });
      if (req.url?.endsWith("/embeddings")) {
        return res.end(
          JSON.stringify({
            object: "list",
            model: body.model,
            data: [{ object: "embedding", index: 0, embedding: [0.5, -0.5] }],
            usage: { prompt_tokens: 5, total_tokens: 5 },
          }),
        );
      }
      res.end(
        JSON.stringify({
          id: "c",
          object: "chat.completion",
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 5, completion_tokens: 5 },
        }),
      );
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});
afterAll(() => upstream.close());

async function call(key: string, path: string, body: unknown): Promise<number> {
  const raw = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  const req: GwRequest = {
    method: "POST",
    pathname: path,
    requestId: `req_${crypto.randomBytes(8).toString("hex")}`,
    header: (n) => headers[n],
    readBody: async () => raw,
    signal: new AbortController().signal,
  };
  let status = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const res: GwResponse = { head: (s) => (status = s), write: () => {}, end: () => done() };
  await handleGateway(req, res);
  await finished;
  return status;
}

const BUDGET = "0.00001";

async function setup() {
  const s = suffix();
  const ws = await createWorkspace();
  await applyConfig({
    actor: tokenActor,
    doc: {
      platforms: [
        {
          name: `Cheap ${s}`,
          vendor: "openai-compatible",
          baseUrl: base,
          internal: true,
          keys: [{ value: `sk-cheap-${s}`, description: "only" }],
        },
      ],
      models: [
        {
          name: `embed-${s}`,
          pricing: { inputPerMillion: 0.09, outputPerMillion: 0 },
          contextWindow: 8000,
          maxOutputTokens: 1,
          routes: [{ platform: `Cheap ${s}`, priority: 1 }],
        },
        {
          name: `chat-${s}`,
          pricing: { inputPerMillion: 0.01, outputPerMillion: 0.01 },
          contextWindow: 8000,
          maxOutputTokens: 100,
          routes: [{ platform: `Cheap ${s}`, priority: 1 }],
        },
      ],
    },
  });
  const key = `sk-sb-${crypto.randomBytes(16).toString("hex")}`;
  const vk = await db.virtualKey.create({
    data: {
      workspaceId: ws.id,
      name: `k-${s}`,
      prefix: key.slice(0, 10),
      keyHash: crypto.createHash("sha256").update(key).digest("hex"),
      monthlyBudgetUsd: BUDGET,
      budgetAction: "block",
    },
  });
  await bumpGatewayVersion(db);
  await refreshSnapshotNow();
  return { s, key, vk };
}

/** Makes `n` calls; returns the recorded spend before the first refusal, the spend in all, and the refusals. */
async function spendDown(n: number, kind: "embed" | "chat") {
  const { s, key, vk } = await setup();
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    statuses.push(
      kind === "embed"
        ? await call(key, "/api/v1/embeddings", { model: `embed-${s}`, input: "twenty bytes of text" })
        : await call(key, "/api/v1/chat/completions", { model: `chat-${s}`, messages: [{ role: "user", content: "hi" }], max_tokens: 5 }),
    );
  }
  await usageSink().flush();
  const rows = await db.usageRecord.findMany({ where: { virtualKeyId: vk.id, status: 200 }, select: { costUsd: true } });
  const spent = rows.reduce((sum, r) => sum + toUnits(r.costUsd.toFixed(8)), 0n);
  const firstRefusal = statuses.indexOf(429);
  return {
    ok: statuses.filter((x) => x === 200).length,
    refused: statuses.filter((x) => x === 429).length,
    firstRefusal,
    percent: Number((spent * 10_000n) / toUnits(BUDGET)) / 100,
  };
}

function expectRefusalsFromAbout100Percent(r: Awaited<ReturnType<typeof spendDown>>, perCallPercent: number) {
  // Refusals start once the next call would pass the budget: the spend is within one call of 100 %, never over.
  expect(r.percent).toBeLessThanOrEqual(100);
  expect(r.percent).toBeGreaterThan(100 - perCallPercent);
  expect(r.firstRefusal).toBe(r.ok);
  expect(r.refused).toBeGreaterThan(0);
}

async function withStore<T>(store: LimitsStore, run: () => Promise<T>): Promise<T> {
  // The gateway's process-wide limits store (lib/gateway/limits-store.ts), swapped for this run.
  const slot = processSingleton<{ store: LimitsStore | null }>("gatewayLimits", () => ({ store: null }));
  const before = slot.store;
  slot.store = store;
  try {
    return await run();
  } finally {
    slot.store = before;
  }
}

describe("a blocking budget with calls cheaper than a micro-dollar", () => {
  it("in memory: 60 embedding calls at $0.09 per million tokens ($0.00000045 each) stop at 100 % of $0.00001", async () => {
    const r = await spendDown(60, "embed");
    expect(r.ok).toBe(22); // 22 x 0.45 = 9.9 of 10 micro-dollars
    expectRefusalsFromAbout100Percent(r, 4.5);
  });

  it("in memory: chat calls at $0.01 per million tokens ($0.0000001 each) stop at 100 %", async () => {
    const r = await spendDown(100, "chat");
    expectRefusalsFromAbout100Percent(r, 1.5 + 0.5); // the estimate holds the prompt plus max_tokens
  });

  it("in Redis: the same, counted in exact integer units", async (ctx) => {
    const redis = new Redis(process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    try {
      await redis.connect();
    } catch {
      redis.disconnect();
      return ctx.skip();
    }
    try {
      const store = new RedisLimits(redis, seedSpendFromUsage, `sbtest:${suffix()}:`);
      const embed = await withStore(store, () => spendDown(60, "embed"));
      expect(embed.ok).toBe(22);
      expectRefusalsFromAbout100Percent(embed, 4.5);
      const chat = await withStore(store, () => spendDown(100, "chat"));
      expectRefusalsFromAbout100Percent(chat, 2);
    } finally {
      redis.disconnect();
    }
  });
});
