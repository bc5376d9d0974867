import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";

// The acceptance across slices: a central repository entry (served by this spec as the remote catalog)
// describes a small notes API this spec runs; a Builder makes a connector of it straight from the entry with a
// custom base URL, tests it, gives two of its operations to a skill; a program lists that skill's tools and calls
// one with a workspace key; the Builder sees the call on the connector's Activity tab. The token never shows.

const TOKEN = `notes-token-${Math.random().toString(36).slice(2)}-9f3e`;
const notes: { id: string; text: string }[] = [];
const seenAuth: string[] = [];

// The notes API, on the catalog's loopback address (the e2e server may reach it: SWITCHBOARD_OUTBOUND_ALLOW).
const notesApi = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    seenAuth.push(String(req.headers.authorization ?? ""));
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: "unauthorized" });
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/notes") return json(200, { notes });
    if (req.method === "POST" && path === "/notes") {
      const note = { id: `n${notes.length + 1}`, text: String((JSON.parse(body || "{}") as { text?: string }).text ?? "") };
      notes.push(note);
      return json(201, note);
    }
    json(404, { error: "not found" });
  });
});

const notesDocument = {
  openapi: "3.0.3",
  info: { title: "Notes", version: "1.0" },
  servers: [{ url: "https://notes.example.test" }],
  components: { securitySchemes: { token: { type: "http", scheme: "bearer" } } },
  security: [{ token: [] }],
  paths: {
    "/notes": {
      get: { operationId: "listNotes", summary: "List notes", responses: { "200": { description: "the notes" } } },
      post: {
        operationId: "createNote",
        summary: "Create a note",
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { type: "object", required: ["text"], properties: { text: { type: "string" } } } },
          },
        },
        responses: { "201": { description: "created" } },
      },
    },
    "/notes/{id}": {
      delete: {
        operationId: "deleteNote",
        summary: "Delete a note",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "204": { description: "deleted" } },
      },
    },
  },
};

// The remote catalog the server polls (SWITCHBOARD_CATALOG_URL).
const catalogFiles = new Map<string, string>();
const catalog = http.createServer((req, res) => {
  const body = catalogFiles.get(req.url ?? "");
  res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" }).end(body ?? "{}");
});

let notesBase = "";
test.beforeAll(async () => {
  await new Promise<void>((r) => catalog.listen(E2E.catalogPort, E2E.catalogHost, r));
  await new Promise<void>((r) => notesApi.listen(0, E2E.catalogHost, r));
  notesBase = `http://${E2E.catalogHost}:${(notesApi.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await Promise.all([new Promise((r) => catalog.close(r)), new Promise((r) => notesApi.close(r))]);
});

/** The token shows nowhere on the page, not even in a field's value. */
async function expectNoSecret(page: Page) {
  await expect(page.locator("body")).not.toContainText(TOKEN);
  expect(await page.content()).not.toContain(TOKEN);
}

test.describe("Integrations across slices", () => {
  test("a Builder makes a connector from a central repository entry, tests it, gives a skill two operations; a program lists and calls them; the call shows on Activity", async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    const admin = { headers: bearer(E2E.envToken) };
    const entryId = unique("notes");
    const title = `Notes ${entryId.slice(-6)}`;
    catalogFiles.set(`/catalog/docs/${entryId}.json`, JSON.stringify(notesDocument));
    catalogFiles.set(
      "/catalog/index.json",
      JSON.stringify({
        providers: [
          {
            id: entryId,
            title,
            category: "developer-tools",
            description: "Team notes.",
            auth: { type: "bearer", summary: "Personal token as bearer" },
            version: "1",
            documentUrl: `docs/${entryId}.json`,
          },
        ],
      }),
    );
    const refreshed = await request.post("/api/admin/catalog/providers/refresh", admin);
    expect(refreshed.status(), await refreshed.text()).toBe(200);
    expect((await refreshed.json()).failed).toEqual([]);

    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("integ-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Integrations Builder", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");

    // New connector: the entry is offered from the central repository; choosing it says it adds the provider.
    await page.goto(`/w/${ws.slug}/providers/connectors`);
    await page.getByRole("button", { name: "New connector" }).click();
    const dialog = page.getByRole("dialog");
    const providerSelect = dialog.getByLabel("Provider", { exact: true });
    await expect(providerSelect.locator('optgroup[label="From the central repository"]').getByText(title)).toHaveCount(1);
    await providerSelect.selectOption({ label: title });
    await expect(dialog.getByTestId("connector-catalog-note")).toContainText(`also adds ${title}`);
    const connectorName = unique("notes-prod");
    await dialog.getByLabel("Name", { exact: true }).fill(connectorName);
    await expect(dialog.getByLabel("Authentication")).toHaveValue("bearer");
    await dialog.getByLabel("Base URL").selectOption("custom");
    await dialog.getByLabel("Custom base URL").fill(notesBase);
    await dialog.getByLabel("Token").fill(TOKEN);
    await dialog.getByRole("button", { name: "Create connector" }).click();
    await expect(page.getByTestId("connector-name")).toHaveText(connectorName);
    await expect(page.getByTestId("connector-base-url")).toHaveText(notesBase);
    await expectNoSecret(page);

    // The provider was synced into the workspace from the entry.
    const providers = await (await request.get("/api/admin/providers", { ...admin, params: { workspaceId: ws.id } })).json();
    expect(providers.data).toEqual([expect.objectContaining({ name: title, catalog: expect.objectContaining({ id: entryId }) })]);

    // Test connection: GET /notes with the token.
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toContainText("Active");
    await expect(page.getByTestId("connector-status")).toHaveAttribute("data-status", "active");
    expect(seenAuth).toContain(`Bearer ${TOKEN}`);
    const connectorId = page.url().split("/").pop()!;

    // The catalog card of an added entry offers a connector of its provider.
    await page.goto(`/w/${ws.slug}/catalog`);
    await page.getByLabel("Search by name, description or auth").fill(entryId);
    const card = page.getByTestId(`catalog-entry-${entryId}`);
    await expect(card).toContainText(`Already added as ${title}`);
    await card.getByRole("button", { name: "Create connector" }).click();
    await expect(page.getByRole("dialog").getByLabel("Provider", { exact: true })).toHaveValue(providers.data[0].id);
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

    // A skill picks two of the three operations.
    const skillName = unique("Note taking");
    await page.goto(`/w/${ws.slug}/agents/skills`);
    await page.getByRole("button", { name: "New skill" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill(skillName);
    await page.getByRole("dialog").getByRole("button", { name: "Create skill" }).click();
    await expect(page.getByTestId("agent-name")).toHaveText(skillName);
    await page.getByRole("button", { name: "Assign connector" }).click();
    const assign = page.getByRole("dialog");
    await assign.getByLabel("Connector", { exact: true }).selectOption({ label: `${connectorName} (private)` });
    const ops = assign.getByRole("group", { name: "Operations" });
    await expect(ops.getByRole("checkbox")).toHaveCount(3);
    const pick = (operationId: string) => ops.locator("label").filter({ hasText: operationId }).getByRole("checkbox");
    await pick("listNotes").check();
    await pick("createNote").check();
    await expect(pick("deleteNote")).not.toBeChecked();
    await expect(assign.getByText("2 picked")).toBeVisible();
    await assign.getByRole("button", { name: "Assign" }).click();
    await expect(assign).toBeHidden();
    const assigned = page.getByRole("table", { name: "Assigned connectors" });
    await expect(assigned).toContainText(connectorName);
    await expect(assigned).toContainText("listNotes, createNote");
    await expectNoSecret(page);

    // A program with a workspace key: the skill's tools are exactly the two picked, and a call reaches the API.
    const created = await request.post("/api/admin/keys", {
      ...admin,
      params: { workspaceId: ws.id },
      data: { name: unique("notes-bot") },
    });
    expect(created.status(), await created.text()).toBe(201);
    const key = ((await created.json()) as { value: string }).value;
    const program = { authorization: `Bearer ${key}` };
    const tools = await request.get("/api/v1/tools", { headers: program, params: { skill: skillName } });
    expect(tools.status(), await tools.text()).toBe(200);
    const list = await tools.json();
    expect(list.data.map((d: { connectorId: string; operationId: string }) => [d.connectorId, d.operationId]).sort()).toEqual([
      [connectorId, "createNote"],
      [connectorId, "listNotes"],
    ]);
    expect(list.tools).toHaveLength(2);
    expect(list.tools.every((t: { type: string }) => t.type === "function")).toBe(true);

    const before = seenAuth.length;
    const call = await request.post(`/api/v1/tools/${connectorId}/createNote`, {
      headers: { ...program, "x-agent-id": "notes-agent" },
      data: { body: { text: "Buy milk" } },
    });
    expect(call.status(), await call.text()).toBe(200);
    expect(await call.json()).toMatchObject({ status: 201, body: { id: expect.any(String), text: "Buy milk" } });
    expect(seenAuth.slice(before)).toEqual([`Bearer ${TOKEN}`]);
    expect(notes.map((n) => n.text)).toContain("Buy milk");
    expect(JSON.stringify(await call.json())).not.toContain(TOKEN);

    // The Builder sees the call on the Activity tab (records are written within about a second).
    await page.goto(`/w/${ws.slug}/providers/connectors/${connectorId}`);
    await expect(async () => {
      await page.reload();
      await page.getByRole("tab", { name: "Activity" }).click();
      await expect(page.getByRole("table", { name: "Calls" }).getByRole("row").filter({ hasText: "createNote" })).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 20_000 });
    const row = page.getByRole("table", { name: "Calls" }).getByRole("row").filter({ hasText: "createNote" });
    await expect(row).toContainText("POST /notes");
    await expect(row).toContainText("201");
    await expect(row).toContainText(/\d+ ms/);
    await expect(row).toContainText("notes-agent");
    await expectNoSecret(page);
  });
});
