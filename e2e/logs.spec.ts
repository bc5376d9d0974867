import crypto from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInAsAdmin, signInViaApi, unique } from "./support/helpers";

// The gateway pipeline writes UsageRecord rows; here they are inserted with SQL, so this spec needs the server on
// PostgreSQL: E2E_DATABASE_URL=postgresql://... (the embedded PGlite data dir belongs to the server process).
const databaseUrl = process.env.E2E_DATABASE_URL;

interface Attempt {
  targetType: "platform" | "deployment";
  targetId: string;
  targetName: string;
  upstreamModel: string;
  via: string;
  status: number | null;
  error: string | null;
  latencyMs: number;
}

interface Row {
  requestId: string;
  at: Date;
  model: string;
  status: number;
  outcome: string;
  errorCode?: string;
  platformId?: string;
  upstreamModel?: string;
  userId?: string;
  agentId?: string;
  attempts: Attempt[];
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: string;
  latencyMs: number;
  ttftMs?: number;
  streamed?: boolean;
}

async function insertRows(workspaceId: string, rows: Row[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const r of rows) {
      await client.query(
        `INSERT INTO "UsageRecord" ("id","requestId","at","workspaceId","model","platformId","upstreamModel","status","outcome","errorCode",
          "userId","agentId","attempts","inputTokens","outputTokens","costUsd","latencyMs","ttftMs","streamed")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13::jsonb,$14,$15,$16,$17,$18,$19)`,
        [
          `ur_${crypto.randomBytes(8).toString("hex")}`,
          r.requestId,
          r.at,
          workspaceId,
          r.model,
          r.platformId ?? null,
          r.upstreamModel ?? null,
          r.status,
          r.outcome,
          r.errorCode ?? null,
          r.userId ?? null,
          r.agentId ?? null,
          JSON.stringify(r.attempts),
          r.inputTokens ?? 0,
          r.outputTokens ?? 0,
          r.costUsd ?? "0",
          r.latencyMs,
          r.ttftMs ?? null,
          r.streamed ?? false,
        ],
      );
    }
  } finally {
    await client.end();
  }
}

async function createPlatform(request: APIRequestContext, name: string, keyDescription: string, keyValue: string) {
  const res = await request.post("/api/admin/platforms", {
    headers: bearer(E2E.envToken),
    data: { name, vendor: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1", internal: true, keys: [{ value: keyValue, description: keyDescription }] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; name: string; keys: { id: string; mask: string }[] };
}

test.describe("request logs", () => {
  test.skip(!databaseUrl, "needs E2E_DATABASE_URL (rows are inserted with SQL into the server's PostgreSQL database)");

  test("a Builder filters requests by status and model and opens a route trace with two attempts in order", async ({ browser, page, request }) => {
    const ws = await createWorkspaceViaApi(request, unique("logs"));
    const s = unique("p");
    const primary = await createPlatform(request, `Primary ${s}`, "primary", "sk-e2e-primary-value-PR1M");
    const backup = await createPlatform(request, `Backup ${s}`, "backup", "sk-e2e-backup-value-BAK2");
    const model = unique("gpt-logs");
    const other = unique("claude-logs");
    const failover = `req_${unique("failover")}`;
    const t = Date.now();
    await insertRows(ws.id, [
      {
        requestId: failover,
        at: new Date(t - 60_000),
        model,
        status: 200,
        outcome: "success",
        platformId: backup.id,
        upstreamModel: "gpt-4o-mini",
        userId: "alice",
        agentId: "support-bot",
        attempts: [
          { targetType: "platform", targetId: primary.id, targetName: primary.name, upstreamModel: "gpt-4o-mini", via: primary.keys[0].id, status: 503, error: "upstream answered 503 Service Unavailable", latencyMs: 21 },
          { targetType: "platform", targetId: backup.id, targetName: backup.name, upstreamModel: "gpt-4o-mini", via: backup.keys[0].id, status: 200, error: null, latencyMs: 180 },
        ],
        inputTokens: 1200,
        outputTokens: 345,
        costUsd: "0.00123400",
        latencyMs: 205,
        ttftMs: 90,
        streamed: true,
      },
      { requestId: `req_${unique("limit")}`, at: new Date(t - 50_000), model, status: 429, outcome: "error", errorCode: "rate_limited", userId: "bob", attempts: [], latencyMs: 2 },
      {
        requestId: `req_${unique("bad")}`,
        at: new Date(t - 40_000),
        model: other,
        status: 502,
        outcome: "error",
        errorCode: "upstream_error",
        attempts: [{ targetType: "platform", targetId: primary.id, targetName: primary.name, upstreamModel: "claude", via: primary.keys[0].id, status: 500, error: "boom", latencyMs: 30 }],
        latencyMs: 31,
      },
      { requestId: `req_${unique("ok")}`, at: new Date(t - 30_000), model: other, status: 200, outcome: "success", platformId: primary.id, upstreamModel: "claude", attempts: [], latencyMs: 50 },
    ]);

    // The API: the whole list, then a class filter; the detail carries the trace in order.
    const api = async (qs: string) => (await (await request.get(`/api/admin/usage/requests?workspaceId=${ws.id}${qs}`, { headers: bearer(E2E.envToken) })).json()) as { data: { requestId: string; status: number }[] };
    expect((await api("")).data.map((r) => r.status)).toEqual([200, 502, 429, 200]);
    expect((await api("&status=4xx")).data.map((r) => r.status)).toEqual([429]);
    const bad = await request.get(`/api/admin/usage/requests?workspaceId=${ws.id}&status=4x`, { headers: bearer(E2E.envToken) });
    expect(bad.status()).toBe(422);
    expect((await bad.json()).errors[0].path).toBe("status");
    // Another workspace cannot read this request by id.
    const elsewhere = await createWorkspaceViaApi(request, unique("other"));
    const cross = await request.get(`/api/admin/usage/requests/${failover}?workspaceId=${elsewhere.id}`, { headers: bearer(E2E.envToken) });
    expect(cross.status()).toBe(404);

    // The console, as a Builder of the workspace.
    const email = `${unique("logs-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Logs Builder", password: "builder-password-3" });
    const ctx = await browser.newContext();
    const builder = await ctx.newPage();
    await signInViaApi(builder.request, email, "builder-password-3");
    await builder.goto(`/w/${ws.slug}/logs`);
    await expect(builder.getByRole("heading", { name: "Logs", level: 1 })).toBeVisible();
    const table = builder.getByRole("table", { name: "Requests" });
    const rows = table.locator("tbody tr");
    await expect(rows).toHaveCount(4);

    await builder.getByLabel("Status", { exact: true }).selectOption("5xx");
    await expect(builder).toHaveURL(/status=5xx/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("502");
    await expect(rows.first()).toContainText(other);

    await builder.getByLabel("Status", { exact: true }).selectOption("2xx");
    await builder.getByLabel("Model", { exact: true }).selectOption(model);
    await expect(builder).toHaveURL(/model=/);
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row).toContainText(model);
    await expect(row).toContainText(`Backup ${s} · gpt-4o-mini`);
    await expect(row).toContainText("1,200 / 345");
    await expect(row).toContainText("alice");
    await expect(row).toContainText("support-bot");

    // The filtered view survives a reload (filters live in the URL).
    await builder.reload();
    await expect(rows).toHaveCount(1);

    await row.click();
    const panel = builder.getByRole("dialog", { name: "Request trace" });
    await expect(panel).toBeVisible();
    await expect(panel).toContainText(failover);
    const attempts = panel.getByRole("listitem");
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(0)).toContainText(`Primary ${s}`);
    await expect(attempts.nth(0)).toContainText("503");
    await expect(attempts.nth(0)).toContainText("upstream answered 503 Service Unavailable");
    await expect(attempts.nth(0)).toContainText("primary · ");
    await expect(attempts.nth(1)).toContainText(`Backup ${s}`);
    await expect(attempts.nth(1)).toContainText("200");
    await expect(attempts.nth(1)).toContainText("backup · ");
    await expect(panel.getByRole("region", { name: "Outcome" })).toContainText("Success");
    // Key masks only: never a key value.
    expect(await builder.content()).not.toContain("sk-e2e-primary-value-PR1M");
    await builder.keyboard.press("Escape");
    await expect(panel).toBeHidden();

    await builder.getByRole("button", { name: "Clear filters" }).click();
    await expect(rows).toHaveCount(4);
    await ctx.close();
  });

  test("a Member neither sees the Logs page nor reads requests; an empty workspace explains how requests arrive", async ({ browser, page, request }) => {
    const ws = await createWorkspaceViaApi(request, unique("logs-empty"));
    const email = `${unique("logs-member")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "MEMBER", name: "Logs Member", password: "member-password-4" });
    const ctx = await browser.newContext();
    const member = await ctx.newPage();
    await signInViaApi(member.request, email, "member-password-4");
    expect((await member.goto(`/w/${ws.slug}/logs`))?.status()).toBe(403);
    expect((await member.request.get(`/api/admin/usage/requests?workspaceId=${ws.id}`)).status()).toBe(403);
    await ctx.close();

    await signInAsAdmin(page);
    await page.goto(`/w/${ws.slug}/logs`);
    await expect(page.getByText("No requests yet")).toBeVisible();
    await expect(page.getByText(`POST ${E2E.baseURL}/api/v1/chat/completions`)).toBeVisible();
    await expect(page.getByRole("navigation").getByRole("link", { name: "Logs" })).toBeVisible();
  });
});
