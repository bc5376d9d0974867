import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import path from "node:path";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInAsAdmin, signInViaApi, unique } from "./support/helpers";
import { startEverything, type EverythingServer } from "../lib/testing/mcp-everything";

// @modelcontextprotocol/server-everything started by the spec (scrubbed environment), reached on the one private
// address the e2e server may call (SWITCHBOARD_OUTBOUND_ALLOW), so a Builder registers it without `internal`.
let everything: EverythingServer;

test.beforeAll(async () => {
  everything = await startEverything("streamableHttp");
});
test.afterAll(async () => {
  await everything?.stop();
});

test.describe("MCP Servers", () => {
  test("a Builder registers a server, sees its tools and runs echo from the generated form", async ({ page, request }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("mcp-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "MCP Builder", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");

    await page.goto(`/w/${ws.slug}/providers/mcp`);
    await expect(page.getByRole("heading", { name: "MCP Servers", exact: true })).toBeVisible();
    await expect(page.getByText("No MCP servers yet")).toBeVisible();

    await page.getByRole("button", { name: "Register server" }).click();
    const dialog = page.getByRole("dialog");
    // A Builder may not allow private addresses, nor run a local command.
    await expect(dialog.getByText("Internal: allow private")).toHaveCount(0);
    await expect(dialog.getByLabel("Transport").locator("option", { hasText: "stdio" })).toHaveCount(0);
    await dialog.getByLabel("Name", { exact: true }).fill("everything");
    await dialog.getByLabel("URL").fill(`http://${E2E.webhookHost}:${everything.port}/mcp`);
    await dialog.getByRole("button", { name: "Add header" }).click();
    await dialog.getByLabel("Header 1 name").fill("X-Api-Key");
    await dialog.getByLabel("Header 1 value").fill("e2e-mcp-header-value-1234");
    await dialog.getByRole("button", { name: "Register" }).click();

    await expect(page.getByTestId("mcp-server-name")).toHaveText("everything");
    await expect(page.getByText("Active", { exact: true })).toBeVisible();
    await expect(page.getByText("e2e-mcp-header-value-1234")).toHaveCount(0);
    const tools = page.getByRole("table", { name: "Tools" });
    await expect(tools.getByText("echo", { exact: true })).toBeVisible();
    await expect(tools.getByText("get-sum", { exact: true })).toBeVisible();

    await page.getByLabel("Search tools").fill("echo");
    await expect(tools.getByText("get-sum", { exact: true })).toHaveCount(0);
    await tools
      .getByRole("row", { name: /^echo\b/ })
      .getByRole("button", { name: "Try" })
      .click();
    const tryDialog = page.getByRole("dialog", { name: "Try echo" });
    await tryDialog.getByRole("button", { name: "Run" }).click();
    await expect(tryDialog.getByText("Required")).toBeVisible();
    await tryDialog.getByLabel("message").fill("hello from Chromium");
    await tryDialog.getByRole("button", { name: "Run" }).click();
    await expect(tryDialog.getByTestId("tool-result")).toContainText("hello from Chromium");
    await page.keyboard.press("Escape");

    await page.getByRole("tab", { name: "Activity" }).click();
    await expect(page.getByRole("table", { name: "Calls" }).getByText("echo")).toBeVisible();

    // What the server offers besides tools: its documents, its templates, its prompts.
    await page.getByRole("tab", { name: /^Resources \(7\)/ }).click();
    const resources = page.getByRole("table", { name: "Resources", exact: true });
    await expect(resources.getByText("demo://resource/static/document/features.md")).toBeVisible();
    await expect(resources.getByRole("row")).toHaveCount(8);
    await expect(
      page.getByRole("table", { name: "Resource templates" }).getByText("demo://resource/dynamic/text/{resourceId}"),
    ).toBeVisible();
    await resources
      .getByRole("row", { name: /architecture\.md/ })
      .getByRole("button", { name: "Read" })
      .click();
    await expect(page.getByRole("dialog", { name: "Read architecture.md" }).getByTestId("resource-contents")).toContainText("Architecture");
    await page.keyboard.press("Escape");

    await page.getByRole("tab", { name: /^Prompts \(4\)/ }).click();
    const prompts = page.getByRole("table", { name: "Prompts" });
    await expect(prompts.getByText("simple-prompt", { exact: true })).toBeVisible();
    await expect(prompts.getByRole("row", { name: /^args-prompt/ })).toContainText("city, state?");
    await prompts
      .getByRole("row", { name: /^args-prompt/ })
      .getByRole("button", { name: "Get" })
      .click();
    const promptDialog = page.getByRole("dialog", { name: "Get args-prompt" });
    await promptDialog.getByRole("button", { name: "Get prompt" }).click();
    await expect(promptDialog.getByText("Required", { exact: true })).toBeVisible();
    await promptDialog.getByLabel("city", { exact: true }).fill("Lisbon");
    await promptDialog.getByRole("button", { name: "Get prompt" }).click();
    await expect(promptDialog.getByTestId("prompt-messages")).toContainText("Lisbon");
    await page.keyboard.press("Escape");

    await page.goto(`/w/${ws.slug}/providers/mcp`);
    const row = page.getByRole("table", { name: "MCP servers" }).getByRole("row", { name: /everything/ });
    await expect(row.getByText("Active")).toBeVisible();
    await expect(row.getByText(/enabled/)).toBeVisible();
  });

  test("a Builder assigns one MCP tool to a worker, sees it listed, and the worker's MCP endpoint offers exactly it", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const admin = { headers: bearer(E2E.envToken) };
    const ws = await createWorkspaceViaApi(request);
    const registered = await request.post("/api/admin/mcp-servers", {
      ...admin,
      params: { workspaceId: ws.id },
      data: { name: "everything", url: `http://${E2E.webhookHost}:${everything.port}/mcp` },
    });
    expect(registered.status(), await registered.text()).toBe(201);
    const worker = await request.post("/api/admin/workers", { ...admin, params: { workspaceId: ws.id }, data: { name: "Research bot" } });
    expect(worker.status(), await worker.text()).toBe(201);
    const workerId = ((await worker.json()) as { id: string }).id;
    const created = await request.post("/api/admin/keys", { ...admin, params: { workspaceId: ws.id }, data: { name: "mcp-agent" } });
    expect(created.status(), await created.text()).toBe(201);
    const key = ((await created.json()) as { value: string }).value;

    const email = `${unique("mcp-assign")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "MCP Assigner", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");

    // The MCP servers page shows where an agent connects.
    await page.goto(`/w/${ws.slug}/providers/mcp`);
    await expect(page.getByTestId("mcp-endpoint-url")).toHaveText(/\/api\/v1\/mcp$/);
    await page.getByLabel("A worker's tools only").selectOption({ label: "Research bot" });
    await expect(page.getByTestId("mcp-worker-endpoint-url")).toHaveText(new RegExp(`/api/v1/mcp/workers/${workerId}$`));

    await page.goto(`/w/${ws.slug}/agents/workers/${workerId}`);
    await expect(page.getByText("No MCP servers assigned")).toBeVisible();
    await page.getByRole("button", { name: "Assign MCP server" }).click();
    const dialog = page.getByRole("dialog", { name: "Assign an MCP server" });
    await dialog.getByLabel("MCP server", { exact: true }).selectOption({ label: "everything" });
    await dialog.getByLabel("Every enabled tool").uncheck();
    await expect(dialog.getByRole("button", { name: "Assign" })).toBeDisabled();
    await dialog.getByLabel("Search tools").fill("echo");
    await dialog
      .getByRole("group", { name: "Tools" })
      .getByRole("checkbox", { name: /^echo\b/ })
      .check();
    await dialog.getByRole("button", { name: "Assign" }).click();
    await expect(dialog).toBeHidden();

    const assigned = page.getByRole("table", { name: "Assigned MCP servers" });
    await expect(assigned.getByRole("row", { name: /everything/ })).toContainText("echo");
    const tools = page.getByRole("table", { name: "Tools" });
    await expect(tools.getByText("everything__echo", { exact: true })).toBeVisible();
    await expect(tools.getByRole("row")).toHaveCount(2);
    await expect(page.getByTestId("worker-mcp-endpoint-url")).toHaveText(new RegExp(`/api/v1/mcp/workers/${workerId}$`));

    // What an MCP client of that worker sees.
    const listed = await request.post(`/api/v1/mcp/workers/${workerId}`, {
      headers: { ...bearer(key), accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
      data: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
    expect(listed.status(), await listed.text()).toBe(200);
    const body = (await listed.json()) as { result: { tools: { name: string }[] } };
    expect(body.result.tools.map((t) => t.name)).toEqual(["everything__echo"]);
  });

  test("an Admin registers a local stdio command with a secret variable and sees its tools", async ({ page, request }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    await signInAsAdmin(page);
    await page.goto(`/w/${ws.slug}/providers/mcp`);
    await page.getByRole("button", { name: "Register server" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name", { exact: true }).fill("local-everything");
    await dialog.getByLabel("Transport").selectOption("stdio");
    await expect(dialog.getByLabel("URL")).toHaveCount(0);
    await dialog.getByRole("button", { name: "Register" }).click();
    await expect(dialog.getByText("Required for a stdio server")).toBeVisible();
    await dialog.getByLabel("Command").selectOption(process.execPath);
    const entry = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    await dialog.getByLabel("Arguments").fill(`${entry}\nstdio`);
    await dialog.getByRole("button", { name: "Add variable" }).click();
    await dialog.getByLabel("Variable 1 name").fill("E2E_STDIO_TOKEN");
    await dialog.getByLabel("Variable 1 value").fill("e2e-stdio-secret-5678");
    await dialog.getByRole("button", { name: "Register" }).click();

    await expect(page.getByTestId("mcp-server-name")).toHaveText("local-everything");
    await expect(page.getByText("Active", { exact: true })).toBeVisible();
    await expect(page.getByText("e2e-stdio-secret-5678")).toHaveCount(0);
    await expect(page.getByText(/env: E2E_STDIO_TOKEN/)).toBeVisible();
    await expect(page.getByRole("table", { name: "Tools" }).getByText("get-env", { exact: true })).toBeVisible();
  });
});
