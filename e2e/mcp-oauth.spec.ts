import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { bearer, createWorkspaceViaApi, signInAsAdmin } from "./support/helpers";
import { startOAuthMcpServer, type OAuthMcpServer } from "../lib/testing/mcp-oauth-server";

// An OAuth-protected MCP server (the SDK's McpServer behind oidc-provider, on the one private address the e2e
// server may call): an Admin registers it with OAuth, presses Connect, signs in and consents at the authorization
// server's own pages, and comes back to the server's page connected with its tools discovered; then disconnects.
let mcp: OAuthMcpServer;

test.beforeAll(async () => {
  mcp = await startOAuthMcpServer(E2E.webhookHost);
});
test.afterAll(async () => {
  await mcp?.close();
});

test("an Admin connects an OAuth MCP server from the console and its tools are discovered with the token", async ({ page, request }) => {
  test.setTimeout(120_000);
  const ws = await createWorkspaceViaApi(request);
  await signInAsAdmin(page);
  await page.goto(`/w/${ws.slug}/providers/mcp`);
  await page.getByRole("button", { name: "Register server" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("notes");
  await dialog.getByLabel("URL").fill(mcp.url);
  await dialog.getByLabel("Authentication").selectOption("oauth");
  // Dynamic client registration: the client fields stay empty.
  await expect(dialog.getByText("dynamic client registration")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Add header" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Register" }).click();

  await expect(page.getByTestId("mcp-server-name")).toHaveText("notes");
  const panel = page.getByRole("region", { name: "OAuth connection" });
  await expect(panel.getByText("OAuth: Not connected")).toBeVisible();
  await panel.getByRole("button", { name: "Connect" }).click();

  // The authorization server's pages: any login, then approve.
  await expect(page).toHaveURL(new RegExp(`^${mcp.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill("ops@example.test");
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  await page.getByRole("button", { name: "Continue" }).click();

  // Back on the server's page: connected, the tools listed.
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/providers/mcp/[^/?]+\\?oauth=connected$`));
  await expect(panel.getByText("The server's tools were discovered")).toBeVisible();
  await expect(panel.getByText("OAuth: Connected")).toBeVisible();
  await expect(page.getByText("Active", { exact: true })).toBeVisible();
  const tools = page.getByRole("table", { name: "Tools" });
  await expect(tools.getByText("whoami", { exact: true })).toBeVisible();
  await expect(tools.getByText("add_note", { exact: true })).toBeVisible();
  // The authorize request carried PKCE and the resource.
  const authz = mcp.authorizeParams[mcp.authorizeParams.length - 1];
  expect(authz.get("code_challenge_method")).toBe("S256");
  expect(authz.get("resource")).toBe(mcp.url);

  // Try a tool: it runs as the account that consented.
  await tools
    .getByRole("row", { name: /^whoami\b/ })
    .getByRole("button", { name: "Try" })
    .click();
  const tryDialog = page.getByRole("dialog", { name: "Try whoami" });
  await tryDialog.getByRole("button", { name: "Run" }).click();
  await expect(tryDialog.getByTestId("tool-result")).toContainText("ops@example.test");
  await page.keyboard.press("Escape");

  // The token is in no answer of the admin API.
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const dto = await request.get(`/api/admin/mcp-servers/${id}`, { headers: bearer(E2E.envToken) });
  const text = await dto.text();
  for (const token of mcp.accepted) expect(text).not.toContain(token);
  expect(JSON.parse(text).oauth).toMatchObject({ status: "active", clientSource: "dynamic" });

  // Disconnect, confirmed: not connected again.
  await panel.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(panel.getByText("OAuth: Not connected")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Connect" })).toBeVisible();

  // The server's authentication edited: no authentication any more, the OAuth panel goes away.
  await page.getByRole("button", { name: "Authentication" }).click();
  const authDialog = page.getByRole("dialog", { name: "Authentication of notes" });
  await expect(authDialog.getByLabel("Authentication")).toHaveValue("oauth");
  await authDialog.getByLabel("Authentication").selectOption("none");
  await authDialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("region", { name: "OAuth connection" })).toHaveCount(0);
  await expect(page.getByText("OAuth: Not connected")).toHaveCount(0);
});
