import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { bearer, signInAsAdmin, signInViaApi, unique, addMemberViaApi, createWorkspaceViaApi } from "./support/helpers";

test.describe("workspaces and roles", () => {
  test("an admin creates a workspace in the console", async ({ page, request }) => {
    await signInAsAdmin(page);
    await page.goto("/w/default/settings/workspaces");
    const name = unique("Team");
    await page.getByRole("button", { name: "Create workspace" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog.getByText("Required").or(dialog.getByText("Must be at least 2 characters"))).toBeVisible();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Description").fill("Made by the e2e suite");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(name).first()).toBeVisible();

    const list = await (await request.get(`/api/admin/workspaces?q=${name}`, { headers: bearer(E2E.envToken) })).json();
    expect(list.data).toHaveLength(1);
    expect(list.data[0].description).toBe("Made by the e2e suite");
  });

  test("an admin adds a Builder, who is refused an admin page", async ({ page, browser }) => {
    await signInAsAdmin(page);
    await page.goto("/w/default/settings/members");
    const email = `${unique("builder")}@e2e.test`;
    await page.getByRole("button", { name: "Add member" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role").selectOption("BUILDER");
    await dialog.getByLabel("Name").fill("Bea Builder");
    await dialog.getByLabel("Password").fill("builder-password-1");
    await dialog.getByRole("button", { name: "Add" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole("row").filter({ hasText: email });
    await expect(row).toBeVisible();
    await expect(row.getByLabel(`Role for ${email}`)).toHaveValue("BUILDER");

    const builderContext = await browser.newContext();
    const builder = await builderContext.newPage();
    await builder.goto("/login");
    await builder.getByLabel("Email").fill(email);
    await builder.getByLabel("Password").fill("builder-password-1");
    await builder.getByRole("button", { name: "Sign in" }).click();
    await expect(builder).toHaveURL(/\/w\/default/);
    await expect(builder.getByRole("link", { name: "Admin tokens" })).toHaveCount(0);

    const res = await builder.goto("/w/default/settings/audit");
    expect(res?.status()).toBe(403);
    await expect(builder.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    const api = await builder.request.get("/api/admin/audit");
    expect(api.status()).toBe(200);
    expect((await api.json()).data).toHaveLength(0);
    const tokens = await builder.request.get("/api/admin/tokens");
    expect(tokens.status()).toBe(403);
    await builderContext.close();
  });

  test("a member of one workspace cannot reach another workspace", async ({ browser, request }) => {
    const mine = await createWorkspaceViaApi(request);
    const theirs = await createWorkspaceViaApi(request);
    const email = `${unique("member")}@e2e.test`;
    await addMemberViaApi(request, mine.id, { email, role: "ADMIN", name: "Ann Admin", password: "member-password-1" });
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signInViaApi(page.request, email, "member-password-1");
    const res = await page.goto(`/w/${theirs.slug}`);
    expect(res?.status()).toBe(404);
    const api = await page.request.get(`/api/admin/workspaces/${theirs.id}/members`);
    expect(api.status()).toBe(404);
    const add = await page.request.post(`/api/admin/workspaces/${theirs.id}/members`, { data: { email, role: "ADMIN" } });
    expect(add.status()).toBe(404);
    await ctx.close();
  });
});
