import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInAsAdmin, signInViaApi, unique } from "./support/helpers";

async function createModel(request: APIRequestContext, name: string) {
  const res = await request.post("/api/admin/models", {
    headers: bearer(E2E.envToken),
    data: { name, contextWindow: 8000, maxOutputTokens: 1000 },
  });
  expect(res.status(), await res.text()).toBe(201);
}

test.describe("API keys", () => {
  test("an admin creates a key with two models and an RPM, sees it once, then revokes it; a Builder only reads", async ({
    page,
    request,
    browser,
  }) => {
    const ws = await createWorkspaceViaApi(request);
    const [m1, m2, m3] = [unique("e2e-chat"), unique("e2e-embed"), unique("e2e-other")];
    for (const m of [m1, m2, m3]) await createModel(request, m);
    await signInAsAdmin(page);
    await page.goto(`/w/${ws.slug}/keys`);
    await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
    await expect(page.getByText("No API keys yet")).toBeVisible();

    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog");
    // The form is checked with the API's schema before anything is sent.
    await dialog.getByLabel("Name").fill("research-bot");
    await dialog.getByLabel("Requests per minute").fill("0");
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expect(dialog.getByText("Requests per minute must be at least 1")).toBeVisible();

    await dialog.getByLabel("Owner").fill("research team");
    await dialog.getByLabel(m1, { exact: true }).check();
    await dialog.getByLabel(m2, { exact: true }).check();
    await dialog.getByLabel("Requests per minute").fill("600");
    await dialog.getByLabel("Monthly budget (USD)").fill("100");
    await dialog.getByRole("button", { name: "Create key" }).click();

    await expect(dialog.getByRole("heading", { name: "Key created" })).toBeVisible();
    const value = (await dialog.getByTestId("new-key").textContent())!.trim();
    expect(value).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    await expect(dialog.getByTestId("new-key-curl")).toContainText(`Bearer ${value}`);
    await expect(dialog.getByTestId("new-key-curl")).toContainText(`"model":"${m1}"`);
    await expect(dialog.getByTestId("new-key-base-url")).toHaveText(`${E2E.baseURL}/api/v1`);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();

    // Shown once: the list shows the prefix and the limits, never the value.
    const row = page.getByRole("row").filter({ hasText: "research-bot" });
    await expect(row).toContainText(`${value.slice(0, 12)}…`);
    await expect(row).toContainText("research team");
    await expect(row).toContainText(`${m1}, ${m2}`);
    await expect(row).not.toContainText(m3);
    await expect(row).toContainText("600");
    await expect(row).toContainText("$100.00");
    await expect(row).toContainText("Active");
    expect(await page.content()).not.toContain(value.slice(12));
    const listed = await (await request.get(`/api/admin/keys?workspaceId=${ws.id}`, { headers: bearer(E2E.envToken) })).json();
    expect(listed.data).toMatchObject([
      { name: "research-bot", prefix: value.slice(0, 12), rpm: 600, allowedModels: [m1, m2], monthlyBudgetUsd: "100.000000" },
    ]);
    expect(JSON.stringify(listed)).not.toContain(value.slice(12));

    // The server's field errors land next to the field: a second key with the same name.
    await page.getByRole("button", { name: "Create key" }).click();
    await dialog.getByLabel("Name").fill("Research-Bot");
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expect(dialog.getByText("A key with this name already exists in this workspace")).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Edit the limits.
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog");
    await expect(edit.getByLabel(m1, { exact: true })).toBeChecked();
    await edit.getByLabel("Tokens per minute").fill("90000");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText("90,000");
    await expect(row).toContainText(`${m1}, ${m2}`);

    // A Builder sees the list but no control that changes it.
    const email = `${unique("keys-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Keys Builder", password: "builder-password-3" });
    const ctx = await browser.newContext();
    const builder = await ctx.newPage();
    await signInViaApi(builder.request, email, "builder-password-3");
    await builder.goto(`/w/${ws.slug}/keys`);
    await expect(builder.getByRole("row").filter({ hasText: "research-bot" })).toContainText(`${value.slice(0, 12)}…`);
    await expect(builder.getByRole("button", { name: "Create key" })).toHaveCount(0);
    await expect(builder.getByRole("button", { name: "Revoke" })).toHaveCount(0);
    await expect(builder.getByRole("button", { name: "Edit" })).toHaveCount(0);
    const refused = await builder.request.post(`/api/admin/keys?workspaceId=${ws.id}`, { data: { name: "sneaky" } });
    expect(refused.status()).toBe(403);
    await ctx.close();

    // Revoke, after a confirmation that says what stops working.
    await row.getByRole("button", { name: "Revoke" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText(`${value.slice(0, 12)}…`);
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
    await page.getByLabel("Status").selectOption("active");
    await expect(page.getByText("No key matches")).toBeVisible();

    const audit = await (await request.get(`/api/admin/audit?workspaceId=${ws.id}`, { headers: bearer(E2E.envToken) })).text();
    expect(audit).toContain("key.revoke");
    expect(audit).not.toContain(value.slice(12));
  });

  test("keys from a configuration file: applied twice unchanged, rotated, exported without a value; other workspaces see nothing", async ({
    request,
  }) => {
    const wsName = unique("cfg-keys");
    const model = unique("cfg-keys-model");
    const value = `sbk_${unique("configured-value-0123456789abcdef")}`;
    const doc = (v: string) => ({
      workspaces: [{ name: wsName, keys: [{ name: "research-bot", value: v, models: [model], rpm: 600, monthlyBudgetUsd: 100 }] }],
      models: [{ name: model, contextWindow: 8000, maxOutputTokens: 1000 }],
    });
    const apply = (v: string) => request.post("/api/admin/config", { headers: bearer(E2E.envToken), data: doc(v) });
    const first = await apply(value);
    expect(first.status(), await first.text()).toBe(200);
    expect((await first.json()).changes).toContainEqual({ section: "keys", name: `${wsName}/research-bot`, action: "create" });
    const again = await (await apply(value)).json();
    expect(again.summary).toMatchObject({ create: 0, update: 0 });

    const ws = await (await request.get(`/api/admin/workspaces?q=${wsName}`, { headers: bearer(E2E.envToken) })).json();
    const wsId = ws.data[0].id as string;
    const keys = await (await request.get(`/api/admin/keys?workspaceId=${wsId}`, { headers: bearer(E2E.envToken) })).json();
    expect(keys.data).toMatchObject([
      { name: "research-bot", source: "config", prefix: value.slice(0, 12), rpm: 600, allowedModels: [model] },
    ]);

    const rotated = await (await apply(`${value}-new`)).json();
    expect(rotated.changes).toContainEqual({ section: "keys", name: `${wsName}/research-bot`, action: "update", fields: ["value"] });

    const exported = await (await request.get("/api/admin/config", { headers: bearer(E2E.envToken) })).text();
    expect(exported).toContain("${env:SWITCHBOARD_KEY_");
    expect(exported).not.toContain(value);

    // A key id from another workspace is not found, even for an instance admin naming that workspace.
    const other = await createWorkspaceViaApi(request);
    const cross = await request.get(`/api/admin/keys/${keys.data[0].id}?workspaceId=${other.id}`, { headers: bearer(E2E.envToken) });
    expect(cross.status()).toBe(404);
    const revokeCross = await request.delete(`/api/admin/keys/${keys.data[0].id}?workspaceId=${other.id}`, {
      headers: bearer(E2E.envToken),
    });
    expect(revokeCross.status()).toBe(404);
    const bad = await request.post(`/api/admin/keys?workspaceId=${wsId}`, {
      headers: bearer(E2E.envToken),
      data: { name: "typo", allowedModels: [model, "no-such-model"], rpm: 0 },
    });
    expect(bad.status()).toBe(422);
    expect((await bad.json()).errors).toEqual([{ path: "rpm", message: "Requests per minute must be at least 1" }]);
    const unknown = await request.post(`/api/admin/keys?workspaceId=${wsId}`, {
      headers: bearer(E2E.envToken),
      data: { name: "typo", allowedModels: [model, "no-such-model"] },
    });
    expect(unknown.status()).toBe(422);
    expect((await unknown.json()).errors).toEqual([{ path: "allowedModels[1]", message: 'No model named "no-such-model"' }]);
  });
});
