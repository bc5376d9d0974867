import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E } from "./support/env";
import { applyConfigViaApi, createKeyViaApi, usageRecordViaApi } from "./support/gateway";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInAsAdmin, signInViaApi, unique } from "./support/helpers";

// The Logs page over requests made through the gateway itself, against a local upstream that speaks OpenAI's
// format: which key called and what the message says decide how it answers.

const PRIMARY_KEY = "sk-e2e-primary-value-PR1M";
let upstream: http.Server;
let upstreamBase = "";

test.beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}");
      const tag = String(body.messages?.[0]?.content ?? "");
      const primary = req.headers.authorization === `Bearer ${PRIMARY_KEY}`;
      const json = (status: number, obj: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(obj));
      };
      if (tag === "failover" && primary) return json(503, { error: { message: "overloaded", type: "server_error" } });
      if (tag === "boom") return json(500, { error: { message: "boom", type: "server_error" } });
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: body.model, choices: [{ index: 0, delta: { content: "ok" }, finish_reason: "stop" }] })}\n\n`,
        );
        res.write(
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: body.model, choices: [], usage: { prompt_tokens: 1200, completion_tokens: 345, total_tokens: 1545 } })}\n\n`,
        );
        return res.end("data: [DONE]\n\n");
      }
      json(200, {
        id: "c2",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: `echo: ${tag}` }, finish_reason: "stop" }],
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      });
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  upstreamBase = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});

test.afterAll(() => {
  upstream?.close();
});

async function createPlatform(request: APIRequestContext, name: string, keyDescription: string, keyValue: string) {
  const res = await request.post("/api/admin/platforms", {
    headers: bearer(E2E.envToken),
    data: {
      name,
      vendor: "openai-compatible",
      baseUrl: upstreamBase,
      internal: true,
      keys: [{ value: keyValue, description: keyDescription }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; name: string; keys: { id: string; mask: string }[] };
}

/** One chat completion through the gateway; returns its request id. */
async function chat(key: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${E2E.baseURL}/api/v1/chat/completions`, {
    method: "POST",
    headers: { ...bearer(key), "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.headers.get("x-request-id")!;
}

test.describe("request logs", () => {
  test("a Builder filters requests by status and model and opens a route trace with two attempts in order", async ({
    browser,
    request,
  }) => {
    const ws = await createWorkspaceViaApi(request, unique("logs"));
    const s = unique("p");
    await createPlatform(request, `Primary ${s}`, "primary", PRIMARY_KEY);
    await createPlatform(request, `Backup ${s}`, "backup", "sk-e2e-backup-value-BAK2");
    const model = unique("gpt-logs");
    const other = unique("claude-logs");
    await applyConfigViaApi(request, {
      models: [
        {
          name: model,
          pricing: { inputPerMillion: 1, outputPerMillion: 2 },
          contextWindow: 8000,
          maxOutputTokens: 1000,
          routes: [
            { platform: `Primary ${s}`, priority: 1, upstreamModel: "gpt-4o-mini" },
            { platform: `Backup ${s}`, priority: 2, upstreamModel: "gpt-4o-mini" },
          ],
        },
        {
          name: other,
          pricing: { inputPerMillion: 1, outputPerMillion: 2 },
          contextWindow: 8000,
          maxOutputTokens: 1000,
          routes: [{ platform: `Primary ${s}`, priority: 1, upstreamModel: "claude" }],
        },
      ],
    });
    const key = (await createKeyViaApi(request, ws.id, { allowedModels: [model, other] })).value;
    // A TPM of 1 refuses every request before any upstream call: a 429 with no attempts.
    const tinyKey = (await createKeyViaApi(request, ws.id, { allowedModels: [model, other], tpm: 1 })).value;

    // Oldest first: a streamed failover, a refusal, an upstream failure, a plain success.
    const failover = await chat(
      key,
      { model, stream: true, user: "alice", messages: [{ role: "user", content: "failover" }] },
      { "x-agent-id": "support-bot" },
    );
    const limited = await chat(tinyKey, { model, user: "bob", messages: [{ role: "user", content: "too much" }] });
    const boom = await chat(key, { model: other, messages: [{ role: "user", content: "boom" }] });
    const ok = await chat(key, { model: other, messages: [{ role: "user", content: "fine" }] });
    for (const id of [failover, limited, boom, ok]) await usageRecordViaApi(request, ws.id, id);

    // The API: the whole list, then a class filter; the detail carries the trace in order.
    const api = async (qs: string) =>
      (await (await request.get(`/api/admin/usage/requests?workspaceId=${ws.id}${qs}`, { headers: bearer(E2E.envToken) })).json()) as {
        data: { requestId: string; status: number }[];
      };
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
    await expect(attempts.nth(0)).toContainText("upstream error (HTTP 503)");
    await expect(attempts.nth(0)).toContainText("primary · ");
    await expect(attempts.nth(1)).toContainText(`Backup ${s}`);
    await expect(attempts.nth(1)).toContainText("200");
    await expect(attempts.nth(1)).toContainText("backup · ");
    await expect(panel.getByRole("region", { name: "Outcome" })).toContainText("Success");
    await expect(panel.getByRole("region", { name: "Bodies" })).toContainText("Bodies are not stored for this workspace");
    // Key masks only: never a key value.
    expect(await builder.content()).not.toContain("sk-e2e-primary-value-PR1M");
    await builder.keyboard.press("Escape");
    await expect(panel).toBeHidden();

    await builder.getByRole("button", { name: "Clear filters" }).click();
    await expect(rows).toHaveCount(4);

    // By the platform that served the request, picked by name: only the failover was served by Backup.
    await builder.getByLabel("Platform", { exact: true }).selectOption({ label: `Backup ${s}` });
    await expect(builder).toHaveURL(/platform=/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(`Backup ${s} · gpt-4o-mini`);
    await builder.getByLabel("Platform", { exact: true }).selectOption({ label: `Primary ${s}` });
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(other);
    await expect(rows.first()).toContainText("200");
    await builder.getByRole("button", { name: "Clear filters" }).click();
    await expect(rows).toHaveCount(4);
    await ctx.close();
  });

  test("a Member neither sees the Logs page nor reads requests; an empty workspace explains how requests arrive", async ({
    browser,
    page,
    request,
  }) => {
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

  test("an Admin turns body storage on in Settings; the request trace then shows the stored request and response", async ({
    page,
    request,
  }) => {
    const ws = await createWorkspaceViaApi(request, unique("bodies"));
    const s = unique("b");
    await createPlatform(request, `Bodies ${s}`, "primary", `sk-e2e-bodies-${s}`);
    const model = unique("gpt-bodies");
    await applyConfigViaApi(request, {
      models: [
        {
          name: model,
          pricing: { inputPerMillion: 1, outputPerMillion: 2 },
          contextWindow: 8000,
          maxOutputTokens: 1000,
          routes: [{ platform: `Bodies ${s}`, priority: 1 }],
        },
      ],
    });

    await signInAsAdmin(page);
    await page.goto(`/w/${ws.slug}/settings`);
    const card = page.getByRole("region", { name: "Logging" });
    await card.getByRole("checkbox", { name: /Store request and response bodies/ }).check();
    await card.getByLabel("Keep bodies for (days)").fill("400");
    await card.getByRole("button", { name: "Save logging" }).click();
    await expect(card.getByText("Must be between 1 and 365 days")).toBeVisible();
    await card.getByLabel("Keep bodies for (days)").fill("14");
    await card.getByRole("button", { name: "Save logging" }).click();
    await expect(card.getByText("Saved")).toBeVisible();
    const settings = await (await request.get(`/api/admin/workspaces/${ws.id}/logging`, { headers: bearer(E2E.envToken) })).json();
    expect(settings).toEqual({ workspaceId: ws.id, storeBodies: true, bodyRetentionDays: 14 });
    const audit = await (await request.get(`/api/admin/audit?workspaceId=${ws.id}`, { headers: bearer(E2E.envToken) })).json();
    expect(JSON.stringify(audit)).toContain("workspace.logging.update");

    const key = (await createKeyViaApi(request, ws.id, { allowedModels: [model] })).value;
    const requestId = await chat(key, { model, messages: [{ role: "user", content: "remember this prompt" }] });
    await usageRecordViaApi(request, ws.id, requestId);
    await expect
      .poll(
        async () =>
          (
            await (
              await request.get(`/api/admin/usage/requests/${requestId}/bodies?workspaceId=${ws.id}`, { headers: bearer(E2E.envToken) })
            ).json()
          ).bodies !== null,
      )
      .toBe(true);

    await page.goto(`/w/${ws.slug}/logs`);
    const panel = page.getByRole("dialog", { name: "Request trace" });
    // The rows are server-rendered: a click before hydration finishes does nothing, so click until the trace opens.
    await expect(async () => {
      await page.getByRole("table", { name: "Requests" }).locator("tbody tr").first().click();
      await expect(panel).toBeVisible({ timeout: 1_000 });
    }).toPass();
    const bodies = panel.getByRole("region", { name: "Bodies" });
    await expect(bodies.getByLabel("Request body")).toContainText("remember this prompt");
    await expect(bodies.getByLabel("Response body")).toContainText("echo: remember this prompt");
    // The caller's key is never part of what is stored.
    await expect(bodies).not.toContainText(key);
  });
});
