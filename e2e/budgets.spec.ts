import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInAsAdmin, signInViaApi } from "./support/helpers";

// Budgets end to end on the embedded default: a workspace budget set in the console, spend driven through real
// gateway calls to a local fake upstream (each call costs exactly $1), alerts in the bell and the history, and
// the gateway refusing with 429 once a blocking budget is used up. Everything is set up through the admin API.

let upstream: http.Server;
let upstreamBase = "";
const s = crypto.randomBytes(3).toString("hex");
const model = `budget-chat-${s}`;

function startUpstream() {
  upstream = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-b",
          object: "chat.completion",
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 },
        }),
      );
    });
  });
  return new Promise<void>((r) =>
    upstream.listen(0, "127.0.0.1", () => {
      upstreamBase = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
      r();
    }),
  );
}

const chat = (request: APIRequestContext, key: string) =>
  request.post("/api/v1/chat/completions", {
    headers: bearer(key),
    data: { model, max_tokens: 1000, messages: [{ role: "user", content: "hi" }] },
  });

let ws: { id: string; slug: string; name: string };
let key = "";

test.beforeAll(async ({ request }) => {
  await startUpstream();
  ws = await createWorkspaceViaApi(request);
  const config = {
    platforms: [
      {
        name: `Budget up ${s}`,
        vendor: "openai-compatible",
        baseUrl: upstreamBase,
        internal: true,
        keys: [{ value: `sk-up-budget-${s}`, description: "primary" }],
      },
    ],
    // 1000 prompt + 1000 completion tokens at $500 per million each: $1 per call.
    models: [
      {
        name: model,
        pricing: { inputPerMillion: 500, outputPerMillion: 500 },
        contextWindow: 8000,
        maxOutputTokens: 2000,
        routes: [{ platform: `Budget up ${s}`, priority: 1 }],
      },
    ],
  };
  const applied = await request.post("/api/admin/config", { headers: bearer(E2E.envToken), data: config });
  expect(applied.status(), await applied.text()).toBe(200);
  const created = await request.post("/api/admin/keys", {
    headers: bearer(E2E.envToken),
    params: { workspaceId: ws.id },
    data: { name: `budget-bot-${s}`, allowedModels: [model] },
  });
  expect(created.status(), await created.text()).toBe(201);
  key = ((await created.json()) as { value: string }).value;
});

test.afterAll(() => upstream?.close());

test("a workspace budget alerts in the bell at 50 % and, set to block, refuses gateway calls at 100 %", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto(`/w/${ws.slug}/budgets`);
  await expect(page.getByRole("heading", { name: "Budgets", level: 1 })).toBeVisible();
  await expect(page.getByText("No monthly budget")).toBeVisible();

  await page.getByRole("button", { name: "Set budget" }).click();
  const dialog = page.getByRole("dialog", { name: "Workspace budget" });
  await dialog.getByLabel("Monthly budget (USD)").fill("3");
  await dialog.getByLabel("At 100 %").selectOption("notify");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("ws-budget-amount")).toHaveText("$3.00");
  await expect(page.getByRole("progressbar", { name: "Workspace budget used" })).toHaveAttribute("aria-valuenow", "0");

  // Two calls: $2 of $3, past 50 %.
  for (let i = 0; i < 2; i++) expect((await chat(page.request, key)).status()).toBe(200);

  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("alert-count")).toHaveText("1", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("ws-spent")).toHaveText("$2.00");
  const history = page.getByRole("table", { name: "Budget alerts" });
  await expect(history.getByRole("row").filter({ hasText: "Workspace reached 50 %" })).toBeVisible();
  await expect(history.getByRole("row").filter({ hasText: "Workspace reached 80 %" })).toHaveCount(0);

  // The bell lists it and marks it read.
  await page.getByRole("button", { name: "Notifications: 1 unread" }).click();
  await expect(page.getByRole("menu").getByText(/Workspace reached 50 %/)).toBeVisible();
  await page.getByRole("menuitem", { name: "Mark all read" }).click();
  await expect(page.getByTestId("alert-count")).toHaveCount(0);
  await page.keyboard.press("Escape");

  // Now block at 100 %: the gateway picks the change up with its snapshot (polled every 2 s).
  await page.getByRole("button", { name: "Edit budget" }).click();
  await dialog.getByLabel("At 100 %").selectOption("block");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog).toBeHidden();
  await page.waitForTimeout(2500);

  expect((await chat(page.request, key)).status()).toBe(200); // $3 of $3
  const refused = await chat(page.request, key);
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await refused.json()).error).toMatchObject({ type: "insufficient_quota", code: "budget_exceeded" });

  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("alert-count")).toHaveText("2", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("ws-spent")).toHaveText("$3.00");
  const hundred = history.getByRole("row").filter({ hasText: "Workspace reached 100 %" });
  await expect(hundred).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Workspace budget used" })).toHaveAttribute("data-tone", "red");

  // One alert marked read from its row: the other stays new, the bell counts one.
  await hundred.getByRole("button", { name: /^Mark ".*100 %.*" read$/ }).click();
  await expect(hundred.getByText("new", { exact: true })).toHaveCount(0);
  await expect(page.getByTestId("alert-count")).toHaveText("1");
  await expect(history.getByRole("row").filter({ hasText: "Workspace reached 80 %" }).getByText("new", { exact: true })).toBeVisible();
});

test("a key budget set to notify in the API keys form shows on Budgets, where an Admin switches it to block", async ({ page, request }) => {
  await signInAsAdmin(page);
  await page.goto(`/w/${ws.slug}/keys`);
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`notify-bot-${s}`);
  await dialog.getByLabel("Monthly budget (USD)").fill("5");
  await dialog.getByLabel("At 100 % of budget").selectOption("notify");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("row").filter({ hasText: `notify-bot-${s}` })).toContainText("notify only");

  await page.goto(`/w/${ws.slug}/budgets`);
  const row = page
    .getByRole("table", { name: "Key budgets" })
    .getByRole("row")
    .filter({ hasText: `notify-bot-${s}` });
  await expect(row).toContainText("$5.00");
  await expect(row).toContainText("Notify only");
  await row.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: `Budget of notify-bot-${s}` });
  await edit.getByLabel("At 100 %").selectOption("block");
  await edit.getByRole("button", { name: "Save budget" }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText("Block at 100 %");
  const keys = await (
    await request.get("/api/admin/keys", { headers: bearer(E2E.envToken), params: { workspaceId: ws.id, q: `notify-bot-${s}` } })
  ).json();
  expect(keys.data).toMatchObject([{ monthlyBudgetUsd: "5.000000", budgetAction: "block" }]);
});

test("an Admin sets the alert webhook: the secret is shown once, a failed test delivery is reported, clearing removes it", async ({
  page,
  request,
}) => {
  await signInAsAdmin(page);
  await page.goto(`/w/${ws.slug}/budgets`);
  await page.getByRole("button", { name: "Set webhook" }).click();
  const dialog = page.getByRole("dialog", { name: "Alert webhook" });
  await dialog.getByLabel("URL").fill("http://10.1.2.3/hook");
  await dialog.getByRole("button", { name: "Save webhook" }).click();
  await expect(dialog.getByText("The destination is not allowed")).toBeVisible();
  // A name that never resolves: accepted (where it points is checked at connect time), delivery then fails.
  await dialog.getByLabel("URL").fill("http://budget-hooks.invalid/hook");
  await dialog.getByRole("button", { name: "Save webhook" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("webhook-url")).toHaveText("http://budget-hooks.invalid/hook");
  expect(await page.content()).not.toContain(secret.slice(6));
  const status = await (await request.get(`/api/admin/workspaces/${ws.id}/budget`, { headers: bearer(E2E.envToken) })).text();
  expect(status).not.toContain(secret.slice(6));

  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText(/Test failed: /)).toBeVisible({ timeout: 15_000 });

  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Clear webhook" }).click();
  await expect(page.getByText("No webhook: alerts are shown in the console only.")).toBeVisible();
});

test("the webhook receives a signed test and the alerts; each verifies with the secret shown once", async ({ page, request }) => {
  // A receiver on the one private address the e2e server may reach.
  const received: { headers: Record<string, string>; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, E2E.webhookHost, r));
  const hookUrl = `http://${E2E.webhookHost}:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const hooked = await createWorkspaceViaApi(request);
    const created = await request.post("/api/admin/keys", {
      headers: bearer(E2E.envToken),
      params: { workspaceId: hooked.id },
      data: { name: `hook-bot-${s}`, allowedModels: [model] },
    });
    const hookKey = ((await created.json()) as { value: string }).value;
    const budget = await request.patch(`/api/admin/workspaces/${hooked.id}/budget`, {
      headers: bearer(E2E.envToken),
      data: { monthlyBudgetUsd: "1.5", action: "notify" },
    });
    expect(budget.status(), await budget.text()).toBe(200);

    await signInAsAdmin(page);
    await page.goto(`/w/${hooked.slug}/budgets`);
    await page.getByRole("button", { name: "Set webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "Alert webhook" });
    await dialog.getByLabel("URL").fill(hookUrl);
    await dialog.getByRole("button", { name: "Save webhook" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByText("Test delivered (HTTP 204).")).toBeVisible({ timeout: 15_000 });
    const verifier = new Webhook(secret);
    expect(verifier.verify(received[0].body, received[0].headers)).toMatchObject({ type: "budget.test" });

    // Two $1 calls against $1.50: 50, 80 and 100 % are crossed; each alert leaves as a signed delivery.
    for (let i = 0; i < 2; i++) expect((await chat(request, hookKey)).status()).toBe(200);
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(4);
    const events = received
      .slice(1)
      .map((r) => verifier.verify(r.body, r.headers) as { type: string; threshold: number; workspace: { id: string } });
    expect(events.map((e) => [e.type, e.threshold, e.workspace.id]).sort()).toEqual([
      ["budget.threshold", 100, hooked.id],
      ["budget.threshold", 50, hooked.id],
      ["budget.threshold", 80, hooked.id],
    ]);
    // A body changed on the way fails verification.
    expect(() => verifier.verify(received[1].body.replace("budget.threshold", "budget.thresholds"), received[1].headers)).toThrow();

    await page.reload();
    const history = page.getByRole("table", { name: "Budget alerts" });
    await expect(history.getByRole("row").filter({ hasText: "Workspace reached 100 %" })).toContainText("delivered");
  } finally {
    receiver.close();
  }
});

test("a Builder reads the budget and alerts but cannot change them; bad input is refused", async ({ playwright, request }) => {
  const email = `builder-${s}@e2e.test`;
  await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Budget Builder", password: "builder-password-1" });
  const builder = await playwright.request.newContext({ baseURL: E2E.baseURL });
  await signInViaApi(builder, email, "builder-password-1");
  const res = await builder.get(`/api/admin/workspaces/${ws.id}/budget`);
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ monthlyBudgetUsd: "3.000000", action: "block", spentUsd: "3.000000", percent: 100 });
  expect((await (await builder.get("/api/admin/alerts", { params: { workspaceId: ws.id } })).json()).data).toHaveLength(3);
  expect((await builder.patch(`/api/admin/workspaces/${ws.id}/budget`, { data: { monthlyBudgetUsd: "100" } })).status()).toBe(403);
  await builder.dispose();

  const admin = { headers: bearer(E2E.envToken) };
  expect((await request.patch(`/api/admin/workspaces/${ws.id}/budget`, { ...admin, data: { monthlyBudgetUsd: "-1" } })).status()).toBe(422);
  const hook = await request.put(`/api/admin/workspaces/${ws.id}/budget/webhook`, {
    ...admin,
    data: { url: "http://169.254.169.254/latest" },
  });
  expect(hook.status()).toBe(422);
});
