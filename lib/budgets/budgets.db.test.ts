import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Webhook } from "standardwebhooks";

vi.hoisted(() => {
  // The local receiver listens on loopback, which the outbound guard refuses unless the operator allows it.
  process.env.SWITCHBOARD_OUTBOUND_ALLOW = "127.0.0.1";
});

import { db, useTestDb } from "../testing/db";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { writeUsageRows, type UsageRow } from "../usage/write";
import { buildSnapshot } from "../gateway/snapshot";
import Redis from "ioredis";
import { MemoryLimits, RedisLimits } from "../gateway/limits";
import { seedSpendFromUsage } from "../gateway/limits-store";
import { reconcileWithWorkspace, reserveWithWorkspace, type BudgetReservation } from "../gateway/workspace-budget";
import { evaluateBudgets } from "./evaluate";
import { budgetChecksSettled, queueBudgetCheck } from "./watch";
import { setAlertWebhook, clearAlertWebhook, testAlertWebhook } from "./alert-webhook";
import { updateWorkspaceBudget } from "./update-budget";
import { updateVirtualKey } from "../virtual-keys/update-key";
import { listBudgetAlerts, markBudgetAlertsRead } from "./alerts";
import { getBudgetStatus } from "./budget-status";
import { expectAppError } from "../testing/errors";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import type { Actor } from "../auth/actor";

useTestDb();

const JUNE = Date.UTC(2031, 5, 15, 12);
const JULY = Date.UTC(2031, 6, 2, 12);

const spend = (workspaceId: string, costUsd: string, at = JUNE, virtualKeyId?: string): Promise<unknown> =>
  writeUsageRows([
    {
      requestId: `req_${suffix()}`,
      at: new Date(at),
      workspaceId,
      virtualKeyId,
      model: "m",
      status: 200,
      outcome: "success",
      attempts: [],
      latencyMs: 5,
      costUsd,
    } satisfies UsageRow,
  ]);

const thresholds = async (workspaceId: string, month = "2031-06") =>
  (await db.budgetAlert.findMany({ where: { workspaceId, month }, orderBy: { threshold: "asc" } })).map(
    (a) => `${a.scope.split(":")[0]}:${a.threshold}`,
  );

// A receiver that records what it gets; `status` decides its answer.
let receiver: http.Server;
let receiverUrl = "";
let status = 200;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => receiver.close());

describe("budget alerts", () => {
  it("fire once each at 50, 80 and 100 % as spend crosses them, and again the next month", async () => {
    const ws = await createWorkspace();
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "10", action: "notify" } });
    await spend(ws.id, "4.9");
    expect(await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE })).toHaveLength(0);
    await spend(ws.id, "0.1");
    expect((await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE })).map((a) => a.threshold)).toEqual([50]);
    expect(await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE })).toHaveLength(0);
    await spend(ws.id, "3");
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE });
    expect(await thresholds(ws.id)).toEqual(["workspace:50", "workspace:80"]);
    await spend(ws.id, "2.5");
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE });
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE });
    expect(await thresholds(ws.id)).toEqual(["workspace:50", "workspace:80", "workspace:100"]);
    const hundred = await db.budgetAlert.findFirstOrThrow({ where: { workspaceId: ws.id, threshold: 100 } });
    expect(hundred.spentUsd.toFixed(2)).toBe("10.50");
    expect(hundred.webhookStatus).toBeNull();

    // July starts from nothing: no alert until July's own spend crosses 50 %.
    expect(await evaluateBudgets({ workspaceIds: [ws.id], now: JULY })).toHaveLength(0);
    await spend(ws.id, "8", JULY);
    await evaluateBudgets({ workspaceIds: [ws.id], now: JULY });
    expect(await thresholds(ws.id, "2031-07")).toEqual(["workspace:50", "workspace:80"]);
  });

  it("key budgets alert per key, whatever their action", async () => {
    const ws = await createWorkspace();
    const k = await db.virtualKey.create({
      data: { workspaceId: ws.id, name: "k", prefix: "sbk_x", keyHash: suffix() + suffix(), monthlyBudgetUsd: "2", budgetAction: "notify" },
    });
    await spend(ws.id, "1.7", JUNE, k.id);
    const created = await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE });
    expect(created.map((a) => [a.scope, a.threshold, a.action])).toEqual([
      [`key:${k.id}`, 50, "notify"],
      [`key:${k.id}`, 80, "notify"],
    ]);
    const { actor } = await userInWorkspace("BUILDER", ws.id);
    const page = await listBudgetAlerts({ actor, query: { workspaceId: ws.id, limit: 1 } });
    expect(page).toMatchObject({ unread: 2, data: [{ scope: "key", keyName: "k", read: false }] });
    expect(page.nextCursor).not.toBeNull();
    const rest = await listBudgetAlerts({ actor, query: { workspaceId: ws.id, limit: 1, cursor: page.nextCursor! } });
    expect(rest.data[0].id).not.toBe(page.data[0].id);
    expect(await markBudgetAlertsRead({ actor, workspaceId: ws.id, input: { ids: [page.data[0].id] } })).toEqual({ unread: 1 });
    expect(await markBudgetAlertsRead({ actor, workspaceId: ws.id, input: {} })).toEqual({ unread: 0 });
    const status = await getBudgetStatus({ actor, workspaceId: ws.id, now: JUNE });
    expect(status.keys).toEqual([
      { id: k.id, name: "k", monthlyBudgetUsd: "2.000000", action: "notify", spentUsd: "1.700000", percent: 85 },
    ]);
  });

  it("lowering a budget below this month's spend alerts at once, without another call", async () => {
    const ws = await createWorkspace();
    await spend(ws.id, "9", Date.now());
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "100" } });
    await budgetChecksSettled();
    expect(await db.budgetAlert.count({ where: { workspaceId: ws.id } })).toBe(0);
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "10" } });
    await budgetChecksSettled();
    expect((await db.budgetAlert.findMany({ where: { workspaceId: ws.id } })).map((a) => a.threshold).sort()).toEqual([50, 80]);
  });

  it("lowering a key's budget below its spend this month alerts at once, from the keys API", async () => {
    const ws = await createWorkspace();
    const k = await db.virtualKey.create({
      data: {
        workspaceId: ws.id,
        name: "k",
        prefix: "sbk_y",
        keyHash: suffix() + suffix(),
        monthlyBudgetUsd: "100",
        budgetAction: "notify",
      },
    });
    await spend(ws.id, "4.5", Date.now(), k.id);
    await updateVirtualKey({ actor: tokenActor, keyId: k.id, input: { owner: "someone" } });
    await budgetChecksSettled();
    expect(await db.budgetAlert.count({ where: { workspaceId: ws.id } })).toBe(0);
    await updateVirtualKey({ actor: tokenActor, keyId: k.id, input: { monthlyBudgetUsd: "5" } });
    await budgetChecksSettled();
    expect((await db.budgetAlert.findMany({ where: { workspaceId: ws.id } })).map((a) => [a.scope, a.threshold]).sort()).toEqual([
      [`key:${k.id}`, 50],
      [`key:${k.id}`, 80],
    ]);
  });

  it("a blocking budget that refuses a call counts as reached (100 %) once 80 % is spent", async () => {
    const ws = await createWorkspace();
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "10", action: "block" } });
    await spend(ws.id, "6");
    const scope = new Set([`workspace:${ws.id}`]);
    // At 60 % a refusal means one call's estimate was too large, not that the budget is used up.
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE, refusedScopes: scope });
    expect(await thresholds(ws.id)).toEqual(["workspace:50"]);
    await spend(ws.id, "3.7");
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE });
    expect(await thresholds(ws.id)).toEqual(["workspace:50", "workspace:80"]);
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE, refusedScopes: scope });
    expect(await thresholds(ws.id)).toEqual(["workspace:50", "workspace:80", "workspace:100"]);
  });

  it("a refusal by the gateway on a blocking budget raises its 100 % alert", async () => {
    const ws = await createWorkspace();
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "1", action: "block" } });
    // The check queued by the change may run before or after this spend lands (PostgreSQL has a pool): queue the
    // one the metering sink queues after each batch.
    await spend(ws.id, "0.85", Date.now());
    queueBudgetCheck([ws.id]);
    await budgetChecksSettled();
    expect(await db.budgetAlert.count({ where: { workspaceId: ws.id } })).toBe(2);
    const store = new MemoryLimits(seedSpendFromUsage);
    const key = { id: `k-${suffix()}`, workspaceId: ws.id, limits: {}, workspaceBudgetUsd: 1, workspaceBudgetBlocks: true };
    expect(await reserveWithWorkspace(store, key, 10, 0.2)).toMatchObject({ ok: false, limit: "budget" });
    await budgetChecksSettled();
    expect(
      (await db.budgetAlert.findMany({ where: { workspaceId: ws.id }, orderBy: { threshold: "asc" } })).map((a) => a.threshold),
    ).toEqual([50, 80, 100]);
  });

  it("two evaluations at once create one alert per threshold", async () => {
    const ws = await createWorkspace();
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "1" } });
    await spend(ws.id, "0.9");
    const [a, b] = await Promise.all([
      evaluateBudgets({ workspaceIds: [ws.id], now: JUNE }),
      evaluateBudgets({ workspaceIds: [ws.id], now: JUNE }),
    ]);
    expect(a.length + b.length).toBe(2);
    expect(await thresholds(ws.id)).toEqual(["workspace:50", "workspace:80"]);
  });

  it("posts a Standard Webhooks signed event the receiver can verify, and records the delivery", async () => {
    const ws = await createWorkspace();
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "10", action: "block" } });
    const hook = await setAlertWebhook({ actor: tokenActor, workspaceId: ws.id, input: { url: receiverUrl } });
    expect(hook.secret).toMatch(/^whsec_/);
    received.length = 0;
    status = 200;
    await spend(ws.id, "6");
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE });
    expect(received).toHaveLength(1);
    const { headers, body } = received[0];
    const event = new Webhook(hook.secret!).verify(body, headers as Record<string, string>);
    expect(event).toEqual({
      type: "budget.threshold",
      workspace: { id: ws.id, name: ws.name },
      scope: "workspace",
      month: "2031-06",
      threshold: 50,
      budgetUsd: "10.000000",
      spentUsd: "6.000000",
      action: "block",
    });
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString("base64")}`).verify(body, headers as Record<string, string>)).toThrow();
    expect((await db.budgetAlert.findFirstOrThrow({ where: { workspaceId: ws.id } })).webhookStatus).toBe("delivered");
    // The secret is stored sealed and appears in no audit entry.
    const audit = JSON.stringify(await db.auditEntry.findMany({ where: { workspaceId: ws.id } }));
    expect(audit).not.toContain(hook.secret!.slice(6, 30));
    expect(await testAlertWebhook({ actor: tokenActor, workspaceId: ws.id })).toEqual({ ok: true, status: 200 });
    expect(JSON.parse(received[1].body)).toMatchObject({ type: "budget.test" });
  });

  it("a failing receiver records the error without throwing; a given secret is used as is", async () => {
    const ws = await createWorkspace();
    const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "1" } });
    const hook = await setAlertWebhook({ actor: tokenActor, workspaceId: ws.id, input: { url: receiverUrl, secret } });
    expect(hook.secret).toBeNull();
    status = 500;
    received.length = 0;
    await spend(ws.id, "0.5");
    await expect(evaluateBudgets({ workspaceIds: [ws.id], now: JUNE })).resolves.toHaveLength(1);
    expect(() => new Webhook(secret).verify(received[0].body, received[0].headers as Record<string, string>)).not.toThrow();
    expect(await db.budgetAlert.findFirstOrThrow({ where: { workspaceId: ws.id } })).toMatchObject({
      webhookStatus: "failed",
      webhookError: "The receiver answered 500",
    });

    // A receiver that is gone: connection refused, recorded.
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, "127.0.0.1", r));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((r) => gone.close(r));
    await setAlertWebhook({ actor: tokenActor, workspaceId: ws.id, input: { url: `http://127.0.0.1:${port}/hook`, secret } });
    await spend(ws.id, "0.4");
    await evaluateBudgets({ workspaceIds: [ws.id], now: JUNE });
    expect(await db.budgetAlert.findFirstOrThrow({ where: { workspaceId: ws.id, threshold: 80 } })).toMatchObject({
      webhookStatus: "failed",
      webhookError: "Connection refused",
    });
    status = 200;

    await clearAlertWebhook({ actor: tokenActor, workspaceId: ws.id });
    expect(await db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).toMatchObject({
      alertWebhookUrl: null,
      alertWebhookSecretId: null,
    });
    expect(await db.credential.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("refuses webhook URLs the outbound guard refuses, and lets only Admins change budgets", async () => {
    const ws = await createWorkspace();
    // Part of the SSRF corpus (this file allows 127.0.0.1 for its receiver, so loopback is covered elsewhere).
    for (const url of [
      "http://169.254.169.254/latest",
      "http://[::ffff:169.254.169.254]/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://metadata.google.internal/",
      "http://10.0.0.5/hook",
      "http://192.168.1.1/",
      "http://100.64.0.1/",
      "http://[fe80::1]/",
      "http://good@hooks.example.com/x",
      "http://0x7f000002/",
    ]) {
      await expectAppError(setAlertWebhook({ actor: tokenActor, workspaceId: ws.id, input: { url } }), "validation_failed");
    }
    expect(await db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).toMatchObject({
      alertWebhookUrl: null,
      alertWebhookSecretId: null,
    });
    await expectAppError(testAlertWebhook({ actor: tokenActor, workspaceId: ws.id }), "conflict");
    const { actor } = await userInWorkspace("BUILDER", ws.id);
    await expectAppError(updateWorkspaceBudget({ actor, workspaceId: ws.id, input: { monthlyBudgetUsd: "5" } }), "forbidden");
    const other = await createWorkspace();
    await expectAppError(listBudgetAlerts({ actor, query: { workspaceId: other.id, limit: 10 } }), "not_found");
  });
});

describe("budget enforcement", () => {
  it("key budgets that notify are not limits; workspace budgets that block are in the snapshot", async () => {
    const ws = await createWorkspace();
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { monthlyBudgetUsd: "3", action: "block" } });
    const notify = await db.virtualKey.create({
      data: { workspaceId: ws.id, name: "n", prefix: "sbk_n", keyHash: `n${suffix()}`, monthlyBudgetUsd: "2", budgetAction: "notify" },
    });
    const block = await db.virtualKey.create({
      data: { workspaceId: ws.id, name: "b", prefix: "sbk_b", keyHash: `b${suffix()}`, monthlyBudgetUsd: "2" },
    });
    const snap = await buildSnapshot();
    expect(snap.keysByHash.get(notify.keyHash)).toMatchObject({
      limits: { monthlyBudgetUsd: null },
      workspaceBudgetUsd: 3,
      workspaceBudgetBlocks: true,
    });
    expect(snap.keysByHash.get(block.keyHash)).toMatchObject({
      limits: { monthlyBudgetUsd: 2 },
      workspaceBudgetUsd: 3,
      workspaceBudgetBlocks: true,
    });
    await updateWorkspaceBudget({ actor: tokenActor, workspaceId: ws.id, input: { action: "notify" } });
    expect((await buildSnapshot()).keysByHash.get(block.keyHash)).toMatchObject({ workspaceBudgetUsd: 3, workspaceBudgetBlocks: false });
  });

  it("50 concurrent reserves never overspend a blocking workspace budget seeded from its recorded spend", async () => {
    const ws = await createWorkspace();
    await spend(ws.id, "0.25", Date.now());
    const store = new MemoryLimits(seedSpendFromUsage);
    const keys = Array.from({ length: 5 }, (_, i) => ({
      id: `k${i}-${suffix()}`,
      workspaceId: ws.id,
      limits: {},
      workspaceBudgetUsd: 1,
      workspaceBudgetBlocks: true,
    }));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => reserveWithWorkspace(store, keys[i % 5], 10, 0.1)));
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, limit: "budget" });
    expect(refused && !refused.ok && refused.retryAfterSeconds).toBeGreaterThan(0);
    // Settling for less frees headroom; the key holds of refused calls were given back.
    for (const r of results) if (r.ok) await reconcileWithWorkspace(store, r.reservation as BudgetReservation, 10, 0.05);
    expect(store.peek(`ws:${ws.id}`).spendUsd).toBeCloseTo(0.6, 6);
    expect(store.peek(keys[0].id).spendUsd).toBeCloseTo(0.1, 6);
  });

  it("a workspace budget that only notifies is still tracked, so blocking later in the month starts from the true spend", async () => {
    const ws = await createWorkspace();
    const store = new MemoryLimits(seedSpendFromUsage);
    const key = { id: `k-${suffix()}`, workspaceId: ws.id, limits: {}, workspaceBudgetUsd: 1 };
    for (let i = 0; i < 8; i++) {
      const r = await reserveWithWorkspace(store, { ...key, workspaceBudgetBlocks: false }, 10, 0.2);
      expect(r.ok).toBe(true);
      if (r.ok) await reconcileWithWorkspace(store, r.reservation as BudgetReservation, 10, 0.2);
    }
    expect(await reserveWithWorkspace(store, { ...key, workspaceBudgetBlocks: true }, 10, 0.2)).toMatchObject({
      ok: false,
      limit: "budget",
    });
  });

  it("the same holds in Redis, where several instances share the workspace's hold", async (ctx) => {
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
      const ws = await createWorkspace();
      await spend(ws.id, "0.25", Date.now());
      const prefix = `sbtest:${suffix()}:`;
      // Two stores on one Redis stand for two instances.
      const stores = [new RedisLimits(redis, seedSpendFromUsage, prefix), new RedisLimits(redis, seedSpendFromUsage, prefix)];
      const key = { id: `k-${suffix()}`, workspaceId: ws.id, limits: {}, workspaceBudgetUsd: 1, workspaceBudgetBlocks: true };
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => reserveWithWorkspace(stores[i % 2], key, 10, 0.1)));
      expect(results.filter((r) => r.ok)).toHaveLength(7);
      expect(results.find((r) => !r.ok)).toMatchObject({ limit: "budget" });
    } finally {
      redis.disconnect();
    }
  });
});

describe("budgets in the configuration file", () => {
  it("applies workspaces[].budget and keys[].budgetAction idempotently and exports the secret as an env reference", async () => {
    const actor: Actor = { type: "config", source: "test.yaml" };
    const name = `Budget ${suffix()}`;
    const secret = `whsec_${Buffer.alloc(24, 3).toString("base64")}`;
    const doc = {
      workspaces: [
        {
          name,
          budget: { monthlyUsd: 250, action: "block", alertWebhookUrl: receiverUrl, alertWebhookSecret: "${env:BUDGET_HOOK}" },
          keys: [{ name: "bot", value: `sbk_${suffix()}${suffix()}${suffix()}`, monthlyBudgetUsd: 20, budgetAction: "notify" }],
        },
      ],
    };
    const lookupEnv = (n: string) => (n === "BUDGET_HOOK" ? secret : undefined);
    await applyConfig({ actor, doc, lookupEnv });
    const ws = await db.workspace.findFirstOrThrow({ where: { name } });
    expect(ws).toMatchObject({ budgetAction: "block", alertWebhookUrl: receiverUrl });
    expect(ws.monthlyBudgetUsd?.toFixed(2)).toBe("250.00");
    expect(await db.virtualKey.findFirstOrThrow({ where: { workspaceId: ws.id } })).toMatchObject({ budgetAction: "notify" });
    const again = await applyConfig({ actor, doc, lookupEnv });
    expect(again.changes.filter((c) => c.action !== "unchanged")).toEqual([]);

    const exported = (await exportConfig({ actor })).workspaces as { name: string; budget?: unknown; keys?: { budgetAction?: string }[] }[];
    const mine = exported.find((w) => w.name === name)!;
    expect(mine.budget).toEqual({
      monthlyUsd: 250,
      action: "block",
      alertWebhookUrl: receiverUrl,
      alertWebhookSecret: expect.stringMatching(/^\$\{env:SWITCHBOARD_BUDGET_WEBHOOK_BUDGET_/),
    });
    expect(mine.keys?.[0].budgetAction).toBe("notify");
    expect(JSON.stringify(exported)).not.toContain(secret);
  });
});
