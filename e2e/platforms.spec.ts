import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { bearer, signInAsAdmin, unique } from "./support/helpers";

// A local stand-in for OpenAI: GET /v1/models in OpenAI's wire format for the valid key, OpenAI's 401 otherwise.
const VALID = `sk-e2e-valid-${unique("k")}-Vx9Q`;
const INVALID = `sk-e2e-invalid-${unique("k")}-Bz7W`;

let fake: http.Server;
let fakeUrl = "";

test.beforeAll(async () => {
  fake = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models" && req.headers.authorization === `Bearer ${VALID}`) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "gpt-4-turbo", object: "model", created: 0, owned_by: "openai" }] }));
      return;
    }
    res.writeHead(401, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }));
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`;
});

test.afterAll(() => new Promise<void>((r) => fake.close(() => r())));

test.describe("platforms", () => {
  test("an admin adds an internal OpenAI-compatible platform with two keys, tests it and disables the backup key", async ({
    page,
    request,
  }) => {
    await signInAsAdmin(page);
    await page.goto("/w/default/platforms");
    const name = unique("Local OpenAI");

    await page.getByRole("button", { name: "Add platform" }).click();
    const dialog = page.getByRole("dialog");
    // The vendor brings its base URL; Azure adds an API version.
    await expect(dialog.getByLabel("Base URL")).toHaveValue("https://api.openai.com/v1");
    await dialog.getByLabel("Vendor").selectOption("azure");
    await expect(dialog.getByLabel("API version")).toHaveValue("2024-06-01");
    await dialog.getByLabel("Vendor").selectOption("openai-compatible");
    await expect(dialog.getByLabel("API version")).toHaveCount(0);
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Base URL").fill(fakeUrl);
    await dialog.getByLabel("API key", { exact: true }).fill(VALID);
    await dialog.getByLabel("Key description").fill("primary");
    // Loopback is refused unless the platform is internal: the server's field error shows next to the field.
    await dialog.getByRole("button", { name: "Add platform" }).click();
    await expect(dialog.getByText("mark the platform as internal")).toBeVisible();
    await dialog.getByLabel("Internal (self-hosted or private network)").check();
    await dialog.getByRole("button", { name: "Add platform" }).click();

    await expect(page.getByRole("heading", { name })).toBeVisible();
    const keys = page.getByRole("table", { name: "API keys" });
    await expect(keys.getByRole("row").filter({ hasText: "primary" })).toContainText("sk-...Vx9Q");

    await page.getByRole("button", { name: "Add key" }).click();
    const add = page.getByRole("dialog");
    await add.getByLabel("API key").fill(INVALID);
    await add.getByLabel("Description").fill("backup");
    await add.getByLabel("Weight").fill("101");
    await add.getByRole("button", { name: "Add key" }).click();
    await expect(add.getByText("Must be at most 100")).toBeVisible();
    await add.getByLabel("Weight").fill("2");
    await add.getByRole("button", { name: "Add key" }).click();
    await expect(add).toBeHidden();
    const backup = keys.getByRole("row").filter({ hasText: "backup" });
    await expect(backup).toContainText("sk-...Bz7W");

    await page.getByRole("button", { name: "Test connection" }).click();
    const results = page.getByRole("table", { name: "Key results" });
    await expect(results.getByRole("row").filter({ hasText: "primary" })).toContainText("Valid");
    await expect(results.getByRole("row").filter({ hasText: "backup" })).toContainText("Invalid");
    await expect(results.getByRole("row").filter({ hasText: "backup" })).toContainText("Incorrect API key provided");
    const listed = page.getByRole("list", { name: "Listed models" });
    await expect(listed).toContainText("gpt-4-turbo");
    const platformId = page.url().split("/").pop()!;
    await expect(listed.getByRole("link", { name: "Register gpt-4-turbo" })).toHaveAttribute(
      "href",
      `/w/default/providers/models?register=gpt-4-turbo&platform=${platformId}`,
    );
    await expect(keys.getByRole("row").filter({ hasText: "primary" })).toContainText("Valid");
    await expect(backup).toContainText("Invalid");

    const toggle = backup.getByRole("switch", { name: "Enabled: backup" });
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await page.reload();
    await expect(
      page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: "backup" }).getByRole("switch"),
    ).toHaveAttribute("aria-checked", "false");
    await expect(
      page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: "primary" }).getByRole("switch"),
    ).toHaveAttribute("aria-checked", "true");

    const html = await page.content();
    expect(html).not.toContain(VALID);
    expect(html).not.toContain(INVALID);

    // The admin API shows the same, masked; the list finds it by search.
    const api = await request.get(`/api/admin/platforms?q=${encodeURIComponent(name)}`, { headers: bearer(E2E.envToken) });
    const body = await api.json();
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ name, vendor: "openai-compatible", internal: true, keyCount: 2, enabledKeyCount: 1 });
    expect(JSON.stringify(body)).not.toContain(VALID);

    await page.goto("/w/default/platforms");
    await page.getByRole("searchbox", { name: "Search platforms" }).fill(name);
    await expect(page.getByRole("row").filter({ hasText: name })).toContainText("1 of 2 enabled");
  });

  test("delete names the models that route to the platform, then deletes it once nothing does", async ({ page, request }) => {
    const name = unique("Doomed");
    const res = await request.post("/api/admin/platforms", {
      headers: bearer(E2E.envToken),
      data: {
        name,
        vendor: "openai",
        baseUrl: "https://api.openai.com/v1",
        keys: [{ value: `sk-${unique("x")}`, description: "primary" }],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    const platform = await res.json();
    await signInAsAdmin(page);
    await page.goto(`/w/default/platforms/${platform.id}`);
    await page.getByRole("button", { name: "Delete platform" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("No model routes to it");
    await confirm.getByRole("button", { name: "Delete platform" }).click();
    await expect(page).toHaveURL(/\/w\/default\/platforms$/);
    expect((await request.get(`/api/admin/platforms/${platform.id}`, { headers: bearer(E2E.envToken) })).status()).toBe(404);
  });
});
