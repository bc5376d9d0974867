import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";

// A small API on the one private address the e2e server may reach (SWITCHBOARD_OUTBOUND_ALLOW): GET /me answers
// 200 with the right X-Api-Key and 401 without it.
const KEY = `sk-e2e-connector-${Math.random().toString(36).slice(2)}1234`;
let api: http.Server;
let base = "";
const seenKeys: string[] = [];

test.beforeAll(async () => {
  api = http.createServer((req, res) => {
    const key = String(req.headers["x-api-key"] ?? "");
    seenKeys.push(key);
    if (req.url !== "/me") return res.writeHead(404).end();
    res.writeHead(key === KEY ? 200 : 401, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => api.listen(0, E2E.webhookHost, () => r()));
  base = `http://${E2E.webhookHost}:${(api.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => api.close(() => r())));

const documentFor = (url: string) => `openapi: 3.0.3
info: { title: Tiny API, version: "1" }
servers: [{ url: "${url}" }]
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Api-Key }
security: [{ key: [] }]
paths:
  /me: { get: { operationId: me, responses: { "200": { description: ok } } } }
`;

test.describe("Your Connectors", () => {
  test("a Builder creates a connector with an API key, tests it, edits it and deletes it", async ({ page, request }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("conn-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Connector Builder", password: "builder-password-9" });
    const provider = await request.post("/api/admin/providers", {
      headers: bearer(E2E.envToken),
      params: { workspaceId: ws.id },
      data: { name: "Tiny API", document: documentFor(base) },
    });
    expect(provider.status(), await provider.text()).toBe(201);
    await signInViaApi(page.request, email, "builder-password-9");

    await page.goto(`/w/${ws.slug}/providers/connectors`);
    await expect(page.getByRole("heading", { name: "Your Connectors" })).toBeVisible();
    await expect(page.getByText("No connectors yet")).toBeVisible();

    // The dialog: the provider's server and its API key scheme are filled in; only the key is typed.
    await page.getByRole("button", { name: "New connector" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Tiny API" });
    await dialog.getByLabel("Name", { exact: true }).fill("tiny-prod");
    await expect(dialog.getByLabel("Base URL")).toHaveValue("0");
    await expect(dialog.getByLabel("Authentication")).toHaveValue("api-key");
    await expect(dialog.getByLabel("Key name")).toHaveValue("X-Api-Key");
    await dialog.getByLabel("API key").fill(KEY);
    await dialog.getByRole("button", { name: "Create connector" }).click();

    await expect(page.getByTestId("connector-name")).toHaveText("tiny-prod");
    await expect(page.getByTestId("connector-base-url")).toHaveText(base);
    await expect(page.getByTestId("connector-status")).toHaveAttribute("data-status", "untested");
    await expect(page.locator("body")).not.toContainText(KEY);

    // The test reaches the local API with the key in its header.
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toContainText("Active");
    await expect(page.getByTestId("test-result")).toContainText("HTTP 200 on GET /me");
    await expect(page.getByTestId("connector-status")).toHaveAttribute("data-status", "active");
    expect(seenKeys).toContain(KEY);

    // Edit: a new description and a wrong key; the test then says the credentials were refused.
    await page.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog");
    await expect(edit.getByLabel("Name", { exact: true })).toHaveValue("tiny-prod");
    await edit.getByLabel("Description").fill("Production account");
    await edit.getByLabel("API key").fill("sk-wrong-key-000000");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    await expect(page.getByText("Production account")).toBeVisible();
    await expect(page.getByTestId("connector-status")).toHaveAttribute("data-status", "untested");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toContainText("Needs re-auth");
    await expect(page.getByTestId("connector-status")).toHaveAttribute("data-status", "needs_reauth");

    // The Activity tab has no calls yet.
    await page.getByRole("tab", { name: "Activity" }).click();
    await expect(page.getByText("No calls yet")).toBeVisible();

    // Delete, after confirming.
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete connector" }).click();
    await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/providers/connectors$`));
    await expect(page.getByText("No connectors yet")).toBeVisible();
    const list = await request.get("/api/admin/connectors", { headers: bearer(E2E.envToken), params: { workspaceId: ws.id } });
    expect((await list.json()).data).toEqual([]);
  });
});
