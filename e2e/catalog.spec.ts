import http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";

// The remote catalog the server polls (SWITCHBOARD_CATALOG_URL): served here, changed between refreshes.
const files = new Map<string, string>();
const server = http.createServer((req, res) => {
  const body = files.get(req.url ?? "");
  res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
  res.end(body ?? "{}");
});
test.beforeAll(() => new Promise<void>((r) => server.listen(E2E.catalogPort, E2E.catalogHost, r)));
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

const doc = (version: string, withClose: boolean) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Acme Tickets", version },
    servers: [{ url: "https://api.acme.example" }],
    paths: {
      "/tickets": {
        get: { operationId: "listTickets", summary: "List tickets", responses: { "200": { description: "ok" } } },
        post: { operationId: "createTicket", summary: "Create a ticket", responses: { "201": { description: "created" } } },
      },
      ...(withClose
        ? {
            "/tickets/{id}/close": {
              post: {
                operationId: "closeTicket",
                summary: "Close a ticket",
                parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
                responses: { "200": { description: "ok" } },
              },
            },
          }
        : {}),
    },
  });

test.describe("Central repository", () => {
  test("a Builder adds a provider from the central repository, later sees its update with the diff and applies it", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const id = unique("acme");
    const publish = async (version: string) => {
      files.set(`/catalog/docs/${id}-${version}.json`, doc(version, version !== "1"));
      files.set(
        "/catalog/index.json",
        JSON.stringify({
          providers: [
            {
              id,
              title: "Acme Tickets",
              category: "ticketing",
              description: "Tickets of the Acme help desk.",
              icon: { color: "#0f766e", initials: "AT" },
              auth: { type: "bearer", summary: "API key as bearer" },
              version,
              documentUrl: `docs/${id}-${version}.json`,
            },
          ],
        }),
      );
      const res = await request.post("/api/admin/catalog/providers/refresh", { headers: bearer(E2E.envToken) });
      expect(res.status()).toBe(200);
      const out = await res.json();
      expect([...out.added, ...out.updated]).toContain(id);
    };
    await publish("1");

    const ws = await createWorkspaceViaApi(request);
    // A shipped entry, its document read from its npm package by the built server.
    const shipped = await request.post("/api/admin/providers", {
      headers: bearer(E2E.envToken),
      params: { workspaceId: ws.id },
      data: { name: "CircleCI", catalogId: "circleci" },
    });
    expect(shipped.status()).toBe(201);
    expect(await shipped.json()).toMatchObject({
      operationCount: 22,
      globalId: "circleci",
      catalog: { id: "circleci", updateAvailable: false },
    });
    const email = `${unique("cat-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Catalog Builder", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");

    // Browse: shipped entries with their operation counts, search, category filter.
    await page.goto(`/w/${ws.slug}/catalog`);
    await expect(page.getByRole("heading", { name: "Central repository" })).toBeVisible();
    await expect(page.getByTestId("catalog-entry-slack")).toContainText("174");
    await page.getByLabel("Category").selectOption("payments");
    await expect(page.getByTestId("catalog-entry-stripe")).toBeVisible();
    await expect(page.getByTestId("catalog-entry-slack")).toHaveCount(0);
    await page.getByLabel("Category").selectOption("ticketing");
    await page.getByLabel("Search by name, description or auth").fill("acme");
    const card = page.getByTestId(`catalog-entry-${id}`);
    await expect(card).toContainText("Acme Tickets");
    await expect(card).toContainText("Bearer token");
    await expect(page.getByTestId("catalog-entry-jira")).toHaveCount(0);

    // Add it in one step; the dialog links to the new provider.
    await card.getByRole("button", { name: "Add to workspace" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByLabel("Name")).toHaveValue("Acme Tickets");
    await dialog.getByLabel("Name").fill("Acme");
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await expect(dialog.getByRole("status")).toContainText("Acme is in this workspace with 2 operations.");
    await dialog.getByRole("link", { name: "Open Acme" }).click();
    await expect(page.getByTestId("provider-name")).toHaveText("Acme");
    await expect(page.getByText(`Synced from the central repository entry ${id}`)).toBeVisible();
    await expect(page.getByTestId("catalog-update")).toHaveCount(0);
    await expect(page.getByText("2 (2 enabled as tools)")).toBeVisible();

    await page.goto(`/w/${ws.slug}/catalog`);
    await page.getByLabel("Search by name, description or auth").fill(id);
    await expect(page.getByTestId(`catalog-entry-${id}`)).toContainText("Already added as Acme");

    // The publisher ships version 2: the provider says so, shows what changes, and takes it.
    await publish("2");
    const providers = await request.get("/api/admin/providers", { headers: bearer(E2E.envToken), params: { workspaceId: ws.id } });
    const provider = (await providers.json()).data.find((p: { name: string }) => p.name === "Acme");
    expect(provider.catalog).toMatchObject({ id, updateAvailable: true });
    await page.goto(`/w/${ws.slug}/providers/api-providers/${provider.id}`);
    const banner = page.getByTestId("catalog-update");
    await expect(banner).toContainText("Update available.");
    await expect(banner).toContainText(provider.catalog.latestVersion);
    await banner.getByRole("button", { name: "Show changes" }).click();
    await expect(page.getByTestId("catalog-diff")).toContainText("1 added, 0 removed, 0 changed");
    await expect(page.getByTestId("catalog-diff")).toContainText("/tickets/{id}/close");
    await banner.getByRole("button", { name: "Apply update" }).click();
    await expect(page.getByTestId("catalog-update")).toHaveCount(0);
    await expect(page.getByText("3 (3 enabled as tools)")).toBeVisible();
    await expect(page.getByTestId("catalog-synced-version")).toHaveText(provider.catalog.latestVersion);
    await page.getByRole("tab", { name: "Versions" }).click();
    await expect(page.getByRole("row").filter({ hasText: "v2" })).toContainText(`Central repository (${id})`);

    // Following updates from now on.
    await page.getByRole("switch", { name: "Follow updates automatically" }).click();
    await expect(page.getByRole("switch", { name: "Follow updates automatically" })).toHaveAttribute("aria-checked", "true");
    const after = await request.get(`/api/admin/providers/${provider.id}`, { headers: bearer(E2E.envToken) });
    expect(await after.json()).toMatchObject({ followUpdates: true, catalog: { updateAvailable: false } });
  });
});
