import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";

const GITHUB = path.resolve(import.meta.dirname, "../node_modules/@octokit/openapi/generated/api.github.com.json");
const PETSTORE = path.resolve(import.meta.dirname, "../node_modules/@readme/oas-examples/3.0/yaml/petstore.yaml");

test.describe("Your API Providers", () => {
  test("a Builder uploads a YAML file, browses and searches its operations, re-imports, compares versions and restores", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("prov-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Provider Builder", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");

    await page.goto(`/w/${ws.slug}/providers/api-providers`);
    await expect(page.getByRole("heading", { name: "Your API Providers" })).toBeVisible();
    await expect(page.getByText("No API providers yet")).toBeVisible();

    // An invalid document: the errors say where, and nothing is stored.
    await page.getByRole("button", { name: "Import provider" }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Broken");
    await dialog.getByRole("tab", { name: "Paste" }).click();
    await dialog.getByLabel("Document").fill("openapi: 3.0.0\ninfo: {title: x}\npaths: {}\n");
    await dialog.getByRole("button", { name: "Import", exact: true }).click();
    await expect(dialog.getByTestId("import-errors")).toContainText("not a valid OpenAPI 3.0.0 description");
    await expect(dialog.getByTestId("import-errors")).toContainText("info");
    await page.keyboard.press("Escape");
    const empty = await request.get("/api/admin/providers", { headers: bearer(E2E.envToken), params: { workspaceId: ws.id } });
    expect((await empty.json()).data).toEqual([]);

    // Upload the YAML file.
    await page.getByRole("button", { name: "Import provider" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Document file").setInputFiles(PETSTORE);
    await expect(dialog.getByLabel("Name")).toHaveValue("petstore");
    await dialog.getByLabel("Name").fill("Petstore");
    await dialog.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByTestId("provider-name")).toHaveText("Petstore");
    const listed = await request.get("/api/admin/providers", { headers: bearer(E2E.envToken), params: { workspaceId: ws.id } });
    expect((await listed.json()).data).toEqual([expect.objectContaining({ name: "Petstore", operationCount: 20, specVersion: "3.0.0" })]);
    await expect(page.getByTestId("operation-total")).toHaveText("20 operations");

    // Search by text, then filter by tag and method.
    await page.getByLabel("Search operations (id, path, summary, tool name)").fill("findPetsByStatus");
    await expect(page.getByTestId("operation-total")).toHaveText("1 matching operation");
    await expect(page.getByRole("row").filter({ hasText: "/pet/findByStatus" })).toBeVisible();
    await page.getByLabel("Search operations (id, path, summary, tool name)").fill("");
    await page.getByLabel("Tag").selectOption("store");
    await page.getByLabel("Method").selectOption("DELETE");
    await expect(page.getByTestId("operation-total")).toHaveText("1 matching operation");
    const row = page.getByRole("row").filter({ hasText: "/store/order/{orderId}" });
    await row.locator("summary").click();
    await expect(row.locator("pre")).toContainText('"orderId"');
    await row.getByLabel("Enable deleteOrder as a tool").uncheck();
    await expect(row.getByText("Off")).toBeVisible();
    await expect(page.getByText("20 (19 enabled as tools)")).toBeVisible();

    // A new version (one operation fewer), the diff, and a restore.
    const v2 = fs.readFileSync(PETSTORE, "utf8").replace(/\n {2}.\/user\/logout.:[\s\S]*?(?=\n {2}.\/|\n[a-z])/, "");
    expect(v2).not.toContain("/user/logout");
    await page.getByRole("button", { name: "Import new version" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByRole("tab", { name: "Paste" }).click();
    await dialog.getByLabel("Document").fill(v2);
    await dialog.getByRole("button", { name: "Import version" }).click();
    await expect(dialog.getByText("Version 2 imported with 19 operations.")).toBeVisible();
    await page.keyboard.press("Escape");
    await page.getByRole("tab", { name: "Versions" }).click();
    await expect(page.getByTestId("version-diff")).toContainText("0 added, 1 removed, 0 changed");
    await expect(page.getByTestId("version-diff")).toContainText("/user/logout");
    await expect(page.getByTestId("version-diff")).toContainText("breaking");
    await page.getByRole("row").filter({ hasText: "v1" }).getByRole("button", { name: "Restore" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Restore version" }).click();
    await expect(page.getByRole("row").filter({ hasText: "Restored from v1" })).toContainText("current");
    await expect(page.getByText("20 (19 enabled as tools)")).toBeVisible();

    // The global id is set once and then fixed.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Global id").fill("petstore.v3");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await expect(page.getByRole("dialog").getByLabel("Global id")).toHaveValue("petstore.v3");
    await expect(page.getByRole("dialog").getByLabel("Global id")).toHaveAttribute("readonly", "");
  });

  test("GitHub's description imports through the admin API in seconds with every operation, and the server keeps answering", async ({
    request,
  }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    const text = fs.readFileSync(GITHUB, "utf8");
    const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    const declared = Object.values(JSON.parse(text).paths as Record<string, object>).reduce<number>(
      (n, item) => n + Object.keys(item).filter((k) => methods.includes(k)).length,
      0,
    );
    // Next.js loads on the first console or admin request (seconds of the serving thread); load it before measuring.
    expect((await request.get("/api/admin/providers", { headers: bearer(E2E.envToken), params: { workspaceId: ws.id } })).status()).toBe(
      200,
    );
    let slowestHealth = 0;
    let healthAnswers = 0;
    let importing = true;
    const probe = (async () => {
      while (importing) {
        const t0 = performance.now();
        expect((await request.get("/api/health")).status()).toBe(200);
        slowestHealth = Math.max(slowestHealth, performance.now() - t0);
        healthAnswers++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const started = performance.now();
    const res = await request.post("/api/admin/providers", {
      headers: bearer(E2E.envToken),
      params: { workspaceId: ws.id },
      data: { name: "GitHub", document: text },
    });
    const ms = performance.now() - started;
    importing = false;
    await probe;
    expect(res.status(), await res.text()).toBe(201);
    const p = await res.json();
    expect(p.operationCount).toBe(declared);
    console.log(
      `GitHub through the API: ${declared} operations in ${Math.round(ms)} ms; /api/health answered ${healthAnswers} times meanwhile, slowest ${Math.round(slowestHealth)} ms`,
    );
    expect(ms).toBeLessThan(30_000);
    const page = await request.get(`/api/admin/providers/${p.id}/operations`, {
      headers: bearer(E2E.envToken),
      params: { q: "pulls", limit: 50 },
    });
    expect((await page.json()).total).toBeGreaterThan(10);
  });

  test("a Member cannot open the page or read providers", async ({ browser, request }) => {
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("prov-member")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "MEMBER", name: "Provider Member", password: "member-password-9" });
    const context = await browser.newContext({ baseURL: E2E.baseURL });
    const page = await context.newPage();
    await signInViaApi(page.request, email, "member-password-9");
    expect((await page.request.get("/api/admin/providers", { params: { workspaceId: ws.id } })).status()).toBe(403);
    await page.goto(`/w/${ws.slug}/providers/api-providers`);
    await expect(page.getByRole("heading", { name: "Your API Providers" })).toBeHidden();
    await context.close();
  });
  test("a Builder adds a bearer scheme and a server to a provider whose document has neither; the connector dialog then uses them", async ({
    page,
    request,
  }) => {
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("prov-editor")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Provider Editor", password: "builder-password-9" });
    const created = await request.post("/api/admin/providers", {
      headers: bearer(E2E.envToken),
      params: { workspaceId: ws.id },
      data: {
        name: "Bare API",
        document: `openapi: 3.0.3\ninfo: { title: Bare, version: "1" }\npaths:\n  /ping: { get: { operationId: ping, responses: { "200": { description: ok } } } }\n`,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const provider = await created.json();
    await signInViaApi(page.request, email, "builder-password-9");
    await page.goto(`/w/${ws.slug}/providers/api-providers/${provider.id}`);
    await expect(page.getByTestId("provider-auth")).toHaveText("None in the document");

    // Authentication: an API key without its name is refused at the field; then a bearer scheme.
    await page.getByRole("button", { name: "Edit authentication" }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Add scheme" }).click();
    await dialog.getByLabel("Scheme 1 type").selectOption("apiKey");
    await dialog.getByRole("button", { name: "Save authentication" }).click();
    await expect(dialog.locator("#scheme-0-name-error")).toHaveText("Required: the header, query parameter or cookie name");
    await dialog.getByLabel("Scheme 1 type").selectOption("bearer");
    await dialog.getByRole("button", { name: "Save authentication" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("provider-auth")).toHaveText("HTTP bearer");

    // Servers: a URL without a scheme is refused at the field; then a real one.
    await page.getByRole("button", { name: "Edit servers" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Add server" }).click();
    await dialog.getByLabel("Server 1 URL").fill("api.bare.example");
    await dialog.getByRole("button", { name: "Save servers" }).click();
    await expect(dialog.locator("#server-0-url-error")).toContainText("Enter an http(s) URL");
    await dialog.getByLabel("Server 1 URL").fill("https://api.bare.example/v1");
    await dialog.getByLabel("Server 1 description").fill("Production");
    await dialog.getByRole("button", { name: "Save servers" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("provider-servers")).toHaveText("https://api.bare.example/v1");

    // The connector dialog fills in both.
    await page.goto(`/w/${ws.slug}/providers/connectors`);
    await page.getByRole("button", { name: "New connector" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Bare API" });
    await expect(dialog.getByLabel("Authentication")).toHaveValue("bearer");
    await expect(dialog.getByLabel("Base URL")).toHaveValue("0");
    await expect(dialog.getByLabel("Base URL").locator("option:checked")).toHaveText("https://api.bare.example/v1 (Production)");
  });
});
