import { expect, test, type Page } from "@playwright/test";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  notesDocument,
  startAuthServer,
  startNotesApi,
  type AuthServer,
  type NotesApi,
} from "../lib/testing/oauth-server";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInAsAdmin, signInViaApi, unique } from "./support/helpers";

// An end user connects their account through a connect link: Switchboard's consent page, the login and consent
// pages of a real authorization server (oidc-provider on the one private address the e2e server may reach), and
// back to "connected". A tool call with that end user's X-User-Id then reaches the local API with their token.

/** The authorization server's own pages: sign in (any login), approve, and back to Switchboard's "connected". */
async function signInAndConsentAtProvider(page: Page, login: string) {
  await expect(page).toHaveURL(new RegExp(`^${auth.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByRole("button", { name: "Continue" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(`${E2E.baseURL}/connect/result?status=connected`);
  await expect(page.getByRole("heading", { name: "Your account is connected" })).toBeVisible();
  await expect(page.getByText("You can close this window.")).toBeVisible();
}

let auth: AuthServer;
let api: NotesApi;

test.beforeAll(async () => {
  auth = await startAuthServer({ redirectUri: `${E2E.baseURL}/api/oauth/callback`, host: E2E.webhookHost });
  api = await startNotesApi(auth, E2E.webhookHost);
});
test.afterAll(async () => {
  await api?.close();
  await auth?.close();
});

test("an end user connects through a connect link, and tool calls with their X-User-Id act as them", async ({ page, request }) => {
  test.setTimeout(120_000);
  const ws = await createWorkspaceViaApi(request);
  const provider = await request.post("/api/admin/providers", {
    headers: bearer(E2E.envToken),
    params: { workspaceId: ws.id },
    data: { name: "Notes", document: notesDocument(api.url, auth.issuer) },
  });
  expect(provider.status(), await provider.text()).toBe(201);
  const created = await request.post("/api/admin/connectors", {
    headers: bearer(E2E.envToken),
    params: { workspaceId: ws.id },
    data: {
      providerId: ((await provider.json()) as { id: string }).id,
      name: "notes",
      auth: {
        mode: "oauth-user",
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        scopes: ["openid", "offline_access", "notes.read"],
        authorizeParams: { prompt: "consent" },
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const connector = (await created.json()) as { id: string; auth: Record<string, unknown> };
  // The URLs came from the provider's oauth2 scheme.
  expect(connector.auth.authorizeUrl).toBe(`${auth.issuer}/auth`);
  const key = await request.post("/api/admin/keys", {
    headers: bearer(E2E.envToken),
    params: { workspaceId: ws.id },
    data: { name: unique("notes-bot") },
  });
  expect(key.status(), await key.text()).toBe(201);
  const keyValue = ((await key.json()) as { value: string }).value;

  const endUserId = `${unique("enduser")}@customer.example`;
  const session = await request.post(`/api/admin/connectors/${connector.id}/connect-sessions`, {
    headers: bearer(E2E.envToken),
    data: { endUserId },
  });
  expect(session.status(), await session.text()).toBe(201);
  const { url } = (await session.json()) as { url: string };
  expect(url.startsWith(`${E2E.baseURL}/connect/`)).toBe(true);

  // The end user is not signed in to Switchboard: the link alone opens the consent page.
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Connect your Notes account" })).toBeVisible();
  await expect(page.getByTestId("consent-end-user")).toHaveText(endUserId);
  await expect(page.getByTestId("consent-scopes")).toContainText("notes.read");
  await page.getByRole("button", { name: "Continue to Notes" }).click();

  const login = unique("alice");
  await signInAndConsentAtProvider(page, login);

  // The link was single use.
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "This connect link cannot be used" })).toBeVisible();

  const call = await request.post(`/api/v1/tools/${connector.id}/me`, {
    headers: { ...bearer(keyValue), "x-user-id": endUserId },
    data: {},
  });
  expect(call.status(), await call.text()).toBe(200);
  expect(((await call.json()) as { body: unknown }).body).toEqual({ subject: login });
  expect(api.accepted.at(-1)?.subject).toBe(login);

  // An Admin sees the connection in the console, without any token.
  await signInAsAdmin(page);
  await page.goto(`/w/${ws.slug}/providers/connectors/${connector.id}`);
  await page.getByRole("tab", { name: "Connections" }).click();
  const row = page.getByRole("row", { name: new RegExp(endUserId) });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("notes.read");
  await expect(page.locator("body")).not.toContainText(api.accepted.at(-1)!.token);
});

test("an Admin sets up an OAuth connector in the console, creates a connect link, connects their own account and disconnects it", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const ws = await createWorkspaceViaApi(request);
  const provider = await request.post("/api/admin/providers", {
    headers: bearer(E2E.envToken),
    params: { workspaceId: ws.id },
    data: { name: "Notes", document: notesDocument(api.url, auth.issuer) },
  });
  expect(provider.status(), await provider.text()).toBe(201);
  await signInAsAdmin(page);
  await page.goto(`/w/${ws.slug}/providers/connectors`);
  await page.getByRole("button", { name: "New connector" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Notes" });
  await dialog.getByLabel("Name", { exact: true }).fill("notes-users");
  // The provider's oauth2 scheme decides the mode and fills the URLs and scopes; the redirect URI is shown to copy.
  await expect(dialog.getByLabel("Authentication")).toHaveValue("oauth-user");
  await expect(dialog.getByLabel("Authorization URL")).toHaveValue(`${auth.issuer}/auth`);
  await expect(dialog.getByLabel("Token URL")).toHaveValue(`${auth.issuer}/token`);
  await expect(dialog.getByTestId("redirect-uri")).toHaveText(`${E2E.baseURL}/api/oauth/callback`);
  await dialog.getByLabel("Client ID").fill(CLIENT_ID);
  await dialog.getByLabel("Client secret").fill(CLIENT_SECRET);
  await dialog.getByLabel("Scopes").fill("openid offline_access notes.read");
  await dialog.getByLabel("Extra authorize parameters").fill("prompt=consent");
  await dialog.getByLabel("Revocation URL").fill(`${auth.issuer}/token/revocation`);
  await dialog.getByRole("button", { name: "Create connector" }).click();
  await expect(page.getByTestId("connector-name")).toHaveText("notes-users");
  await expect(page.locator("body")).not.toContainText(CLIENT_SECRET);

  await page.getByRole("tab", { name: "Connections" }).click();
  await expect(page.getByText("No one has connected yet")).toBeVisible();
  await page.getByRole("button", { name: "Create connect link" }).click();
  const linkDialog = page.getByRole("dialog");
  await linkDialog.getByLabel("End user id").fill("user-42");
  await linkDialog.getByRole("button", { name: "Create link" }).click();
  await expect(linkDialog.getByTestId("connect-link")).toContainText(`${E2E.baseURL}/connect/`);
  await linkDialog.getByRole("button", { name: "Done" }).click();

  // Connect my account: the end user id is the Admin's email.
  await page.getByRole("button", { name: "Connect my account" }).click();
  await expect(page.getByTestId("consent-end-user")).toHaveText(E2E.adminEmail);
  await page.getByRole("button", { name: "Continue to Notes" }).click();
  const login = unique("admin-at-notes");
  await signInAndConsentAtProvider(page, login);

  await page.goto(`/w/${ws.slug}/providers/connectors`);
  await page.getByRole("link", { name: "notes-users" }).click();
  await page.getByRole("tab", { name: "Connections" }).click();
  const row = page.getByRole("row", { name: new RegExp(E2E.adminEmail) });
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByText("No one has connected yet")).toBeVisible();
});

test("a Member opens a public OAuth connector read-only, connects their own account at the provider and disconnects it", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const ws = await createWorkspaceViaApi(request);
  const provider = await request.post("/api/admin/providers", {
    headers: bearer(E2E.envToken),
    params: { workspaceId: ws.id },
    data: { name: "Notes", document: notesDocument(api.url, auth.issuer) },
  });
  expect(provider.status(), await provider.text()).toBe(201);
  const providerId = ((await provider.json()) as { id: string }).id;
  const connectorFor = async (name: string, isPublic: boolean) => {
    const res = await request.post("/api/admin/connectors", {
      headers: bearer(E2E.envToken),
      params: { workspaceId: ws.id },
      data: {
        providerId,
        name,
        description: "The team's notes, as you",
        public: isPublic,
        auth: {
          mode: "oauth-user",
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          scopes: ["openid", "offline_access", "notes.read"],
          authorizeParams: { prompt: "consent" },
          revocationUrl: `${auth.issuer}/token/revocation`,
        },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as { id: string };
  };
  const shared = await connectorFor("notes-shared", true);
  await connectorFor("notes-private", false);

  const email = `${unique("oauth-member")}@e2e.test`;
  await addMemberViaApi(request, ws.id, { email, role: "MEMBER", name: "Notes Member", password: "member-password-9" });
  await signInViaApi(page.request, email, "member-password-9");
  // The management API stays closed to a Member.
  expect((await page.request.get(`/api/admin/connectors/${shared.id}`)).status()).toBe(403);
  expect((await page.request.get("/api/admin/connectors", { params: { workspaceId: ws.id } })).status()).toBe(403);

  // The Providers section shows only Your Connectors, listing only the public connector that acts for end users.
  await page.goto(`/w/${ws.slug}/providers`);
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/providers/connectors$`));
  await expect(page.getByRole("heading", { name: "Your Connectors" })).toBeVisible();
  await expect(page.getByRole("tab", { name: "Your Connectors" })).toBeVisible();
  await expect(page.getByRole("tab", { name: "Your API Providers" })).toHaveCount(0);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Your Connectors" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Your API Providers" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "notes-private" })).toHaveCount(0);
  const listRow = page.getByRole("row", { name: /notes-shared/ });
  await expect(listRow).toContainText("Not connected");
  await listRow.getByRole("link", { name: "notes-shared" }).click();

  // Read-only: what the consent asks for, and no settings, secrets or management buttons.
  await expect(page.getByTestId("connector-name")).toHaveText("notes-shared");
  await expect(page.getByText("The team's notes, as you")).toBeVisible();
  await expect(page.getByText("openid offline_access notes.read")).toBeVisible();
  for (const name of ["Edit", "Delete", "Test connection", "Create connect link"])
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(CLIENT_ID);
  await expect(page.locator("body")).not.toContainText(auth.issuer);

  await page.getByRole("button", { name: "Connect my account" }).click();
  await expect(page.getByTestId("consent-end-user")).toHaveText(email);
  await page.getByRole("button", { name: "Continue to Notes" }).click();
  await signInAndConsentAtProvider(page, unique("member-at-notes"));

  await page.goto(`/w/${ws.slug}/providers/connectors/${shared.id}`);
  const mine = page.getByRole("region", { name: /Your connection/ });
  await expect(mine).toContainText("Active");
  await expect(mine).toContainText(email);
  await expect(mine).toContainText("notes.read");
  await expect(page.getByRole("button", { name: "Connect my account" })).toHaveCount(0);
  await mine.getByRole("button", { name: "Disconnect" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("Disconnect your account?");
  await confirm.getByRole("button", { name: "Disconnect" }).click();
  await expect(mine).toContainText("Not connected");
  await expect(page.getByRole("button", { name: "Connect my account" })).toBeVisible();
});
