import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";
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
    // A Builder may not allow private addresses.
    await expect(dialog.getByText("Internal: allow private")).toHaveCount(0);
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

    await page.goto(`/w/${ws.slug}/providers/mcp`);
    const row = page.getByRole("table", { name: "MCP servers" }).getByRole("row", { name: /everything/ });
    await expect(row.getByText("Active")).toBeVisible();
    await expect(row.getByText(/enabled/)).toBeVisible();
  });
});
