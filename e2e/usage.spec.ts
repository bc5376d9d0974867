import fs from "node:fs";
import type http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInAsAdmin, signInViaApi, unique } from "./support/helpers";
import { startJsonUpstream } from "./support/upstream";

// Usage reports from real gateway traffic: a local upstream in OpenAI's format, a workspace key created through
// the admin API, and chat completions through /api/v1, so the records and rollups are written the real way.
// Runs on the embedded default (no PostgreSQL needed).

let upstream: http.Server;
let upstreamBase = "";
const s = unique("u").slice(2);
const cheap = `usage-cheap-${s}`;
const dear = `usage-dear-${s}`;
let ws: { id: string; slug: string; name: string };
let key = "";

/** The upstream reports tokens from the prompt ("tokens:120:30"), so each request's usage is known. */
async function startUpstream() {
  ({ server: upstream, base: upstreamBase } = await startJsonUpstream((body, _req, res) => {
    const [, inp, out] = String(body.messages?.[0]?.content ?? "tokens:10:5").split(":");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-usage",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
        usage: { prompt_tokens: Number(inp), completion_tokens: Number(out), total_tokens: Number(inp) + Number(out) },
      }),
    );
  }));
}

const CALLS = [
  { model: cheap, user: "alice", agent: "planner", tokens: [1000, 200] },
  { model: cheap, user: "alice", agent: "planner", tokens: [500, 100] },
  { model: cheap, user: "bob", agent: "writer", tokens: [2000, 400] },
  { model: dear, user: "bob", agent: "writer", tokens: [300, 300] },
  { model: dear, user: "carol", agent: "planner", tokens: [100, 50] },
];

async function chat(call: (typeof CALLS)[number]) {
  // The routing snapshot is rebuilt within ~2 s of a change: retry until the new key and models are live.
  for (let i = 0; i < 40; i++) {
    const res = await fetch(`${E2E.baseURL}/api/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-agent-id": call.agent },
      body: JSON.stringify({
        model: call.model,
        user: call.user,
        messages: [{ role: "user", content: `tokens:${call.tokens[0]}:${call.tokens[1]}` }],
      }),
    });
    if (res.status === 200) return;
    if (![401, 404].includes(res.status)) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the gateway never accepted the new key");
}

test.beforeAll(async ({ request }) => {
  await startUpstream();
  ws = await createWorkspaceViaApi(request);
  const limits = { contextWindow: 8000, maxOutputTokens: 1000 };
  const config = {
    platforms: [
      {
        name: `Usage upstream ${s}`,
        vendor: "openai-compatible",
        baseUrl: upstreamBase,
        internal: true,
        keys: [{ value: `sk-usage-${s}`, description: "primary" }],
      },
    ],
    models: [
      {
        name: cheap,
        pricing: { inputPerMillion: 1, outputPerMillion: 2 },
        ...limits,
        routes: [{ platform: `Usage upstream ${s}`, priority: 1, upstreamModel: "up-cheap" }],
      },
      {
        name: dear,
        pricing: { inputPerMillion: 10, outputPerMillion: 30 },
        ...limits,
        routes: [{ platform: `Usage upstream ${s}`, priority: 1, upstreamModel: "up-dear" }],
      },
    ],
  };
  const applied = await request.post("/api/admin/config", { headers: bearer(E2E.envToken), data: config });
  expect(applied.status(), await applied.text()).toBe(200);
  const created = await request.post(`/api/admin/keys?workspaceId=${ws.id}`, {
    headers: bearer(E2E.envToken),
    data: { name: "usage-bot" },
  });
  expect(created.status(), await created.text()).toBe(201);
  key = (await created.json()).value;
  for (const c of CALLS) await chat(c);
  // Usage is written in batches off the request path (about once a second).
  await expect
    .poll(
      async () =>
        (await (await request.get(`/api/admin/usage?workspaceId=${ws.id}&groupBy=model`, { headers: bearer(E2E.envToken) })).json()).totals
          ?.requests,
      { timeout: 15_000 },
    )
    .toBe(CALLS.length);
});

test.afterAll(() => {
  upstream?.close();
});

async function tableRows(page: Page) {
  const rows = page.getByRole("table", { name: /Usage by/ }).locator("tbody tr[data-group]");
  return rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      group: tr.getAttribute("data-group")!,
      label: tr.querySelector("td")!.textContent!.trim(),
      costUsd: tr.getAttribute("data-cost")!,
      requests: Number(tr.getAttribute("data-requests")),
    })),
  );
}

test.describe("Usage page", () => {
  test("the charts render the gateway's traffic; groupBy and filters change them and the URL; back returns", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto(`/w/${ws.slug}/usage?range=24h`);
    await expect(page.getByRole("heading", { name: "Usage", exact: true })).toBeVisible();
    // Summary: 5 requests; cost = cheap (3500 in x $1 + 700 out x $2)/1M + dear (400 x $10 + 350 x $30)/1M.
    await expect(page.getByTestId("usage-requests")).toHaveText("5");
    await expect(page.getByTestId("usage-input-tokens")).toHaveText("3,900");
    const cost = page.getByRole("figure", { name: "Cost over time" });
    await expect.poll(() => cost.locator("svg path.recharts-rectangle").count()).toBeGreaterThan(0);
    await expect(cost.locator(".recharts-legend-item")).toHaveText([dear, cheap]);
    // A few cents: the cost axis counts in tenths of a cent, every tick its own label (not "$0" on each).
    const costTicks = cost.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value");
    await expect.poll(() => costTicks.count()).toBeGreaterThan(2);
    const costLabels = await costTicks.allTextContents();
    expect(new Set(costLabels).size, costLabels.join(" ")).toBe(costLabels.length);
    for (const label of costLabels) expect(label).toMatch(/^\$0(\.\d{3})?$/);
    await expect
      .poll(() => tableRows(page))
      .toEqual([
        { group: dear, label: dear, costUsd: "0.01450000", requests: 2 },
        { group: cheap, label: cheap, costUsd: "0.00490000", requests: 3 },
      ]);
    await expect
      .poll(() => page.getByRole("figure", { name: "Tokens over time" }).locator("svg .recharts-area-curve").count())
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.getByRole("figure", { name: "Requests over time" }).locator("svg path.recharts-rectangle").count())
      .toBeGreaterThan(0);

    await page.getByLabel("Group by").selectOption("user");
    await expect(page).toHaveURL(/groupBy=user/);
    await expect
      .poll(async () => (await tableRows(page)).map((r) => [r.group, r.requests]))
      .toEqual([
        ["bob", 2],
        ["carol", 1],
        ["alice", 2],
      ]);
    await expect(cost.locator(".recharts-legend-item")).toHaveText(["bob", "carol", "alice"]);

    // A filter on another dimension: users of the cheap model only, computed from raw records (and said so).
    const modelFilter = page.getByLabel("Model", { exact: true });
    await modelFilter.fill(cheap);
    await modelFilter.press("Enter");
    await expect(page).toHaveURL(new RegExp(`model=${cheap}`));
    await expect(page.getByRole("note")).toContainText("raw request records");
    await expect
      .poll(async () => (await tableRows(page)).map((r) => [r.group, r.requests]))
      .toEqual([
        ["bob", 1],
        ["alice", 2],
      ]);
    await expect(cost.locator(".recharts-legend-item")).toHaveText(["bob", "alice"]);

    // Sorting by requests is part of the URL too.
    await page.getByRole("button", { name: "Requests", exact: true }).click();
    await expect(page).toHaveURL(/sort=requests/);
    await expect.poll(async () => (await tableRows(page)).map((r) => r.group)).toEqual(["alice", "bob"]);

    // Back walks through the changes.
    await page.goBack();
    await expect(page).not.toHaveURL(/sort=requests/);
    await page.goBack();
    await expect(page).not.toHaveURL(/model=/);
    await expect.poll(async () => (await tableRows(page)).length).toBe(3);

    // Drill-down: a group's requests on the Logs page, filtered to it.
    await page.getByRole("link", { name: "Requests of carol" }).click();
    await expect(page).toHaveURL(/\/logs\?.*user=carol/);
    await expect(page.locator("tr[data-request-id]")).toHaveCount(1);
  });

  test("Export CSV downloads exactly the rows the table shows", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto(`/w/${ws.slug}/usage?range=24h&groupBy=agent`);
    await expect.poll(async () => (await tableRows(page)).length).toBe(2);
    const shown = await tableRows(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^usage-by-agent-.*\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    const [header, ...lines] = csv.trimEnd().split("\r\n");
    expect(header).toBe("group,label,requests,errors,inputTokens,outputTokens,cachedTokens,costUsd");
    const rows = lines.map((l) => l.split(","));
    expect(rows.map((r) => ({ group: r[0], label: r[1], costUsd: r[7], requests: Number(r[2]) }))).toEqual(shown);
    expect(rows.map((r) => [r[0], r[4], r[5]])).toEqual([
      ["writer", "2300", "700"],
      ["planner", "1600", "350"],
    ]);
  });

  test("the API validates its query and a Member reads no usage", async ({ request, browser }) => {
    const bad = await request.get(`/api/admin/usage?workspaceId=${ws.id}&groupBy=team`, { headers: bearer(E2E.envToken) });
    expect(bad.status()).toBe(422);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: "groupBy" })]);
    const backwards = await request.get(`/api/admin/usage?workspaceId=${ws.id}&from=2030-01-02&to=2030-01-01`, {
      headers: bearer(E2E.envToken),
    });
    expect((await backwards.json()).errors).toEqual([expect.objectContaining({ path: "from" })]);

    const email = `${unique("usage-member")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "MEMBER", name: "Usage Member", password: "member-password-1" });
    const ctx = await browser.newContext({ baseURL: E2E.baseURL });
    await signInViaApi(ctx.request, email, "member-password-1");
    expect((await ctx.request.get(`/api/admin/usage?workspaceId=${ws.id}`)).status()).toBe(403);
    expect((await ctx.request.get(`/api/admin/usage`)).status()).toBe(403);
    expect((await ctx.request.get(`/api/admin/usage/series?workspaceId=${ws.id}`)).status()).toBe(403);
    await ctx.close();
  });

  test("an Admin sets how long raw records are kept in Settings; the API validates the range", async ({ page, request }) => {
    await signInAsAdmin(page);
    await page.goto(`/w/${ws.slug}/settings`);
    const field = page.getByLabel("Keep request records for (days)");
    await expect(field).toHaveValue("90");
    await field.fill("0");
    await page.getByRole("button", { name: "Save retention" }).click();
    await expect(page.getByText("At least 1 day")).toBeVisible();
    await field.fill("30");
    await page.getByRole("button", { name: "Save retention" }).click();
    await expect(page.getByText("Saved")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Keep request records for (days)")).toHaveValue("30");
    const got = await request.get(`/api/admin/workspaces/${ws.id}/usage-settings`, { headers: bearer(E2E.envToken) });
    expect(await got.json()).toEqual({ workspaceId: ws.id, usageRetentionDays: 30 });
    const bad = await request.patch(`/api/admin/workspaces/${ws.id}/usage-settings`, {
      headers: bearer(E2E.envToken),
      data: { usageRetentionDays: 5000 },
    });
    expect(bad.status()).toBe(422);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: "usageRetentionDays" })]);
  });
});
