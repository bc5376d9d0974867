import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, signInAsAdmin, signInViaApi, unique } from "./support/helpers";

test.describe("credentials", () => {
  test("an admin stores a secret, sees only its mask, replaces and deletes it", async ({ page, request }) => {
    await signInAsAdmin(page);
    await page.goto("/w/default/settings/credentials");
    const name = unique("anthropic");
    const value = `sk-ant-${unique("secret")}-tail9Z`;
    await page.getByRole("button", { name: "Add credential" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Add" }).click();
    await expect(dialog.getByText("Required").first()).toBeVisible();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Kind").selectOption("api-key");
    await dialog.getByLabel("Secret value").fill(value);
    await dialog.getByRole("button", { name: "Add" }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("sk-...il9Z");
    expect(await page.content()).not.toContain(value);

    await row.getByRole("button", { name: "Replace value" }).click();
    const replace = page.getByRole("dialog");
    await replace.getByLabel("New value").fill("sk-ant-replacement-value-QQQQ");
    await replace.getByRole("button", { name: "Replace" }).click();
    await expect(replace).toBeHidden();
    await expect(row).toContainText("sk-...QQQQ");

    const listed = await (
      await request.get(`/api/admin/credentials?workspaceId=${await workspaceId(request, "default")}&q=${name}`, {
        headers: bearer(E2E.envToken),
      })
    ).json();
    expect(listed.data).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain("replacement-value");

    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("alertdialog")).toHaveCount(0); // closes once the server answered
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
  });

  test("a Builder cannot open the credentials page or list credentials", async ({ browser, request }) => {
    const email = `${unique("cred-builder")}@e2e.test`;
    await addMemberViaApi(request, await workspaceId(request, "default"), {
      email,
      role: "BUILDER",
      name: "Cred Builder",
      password: "builder-password-2",
    });
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signInViaApi(page.request, email, "builder-password-2");
    const res = await page.goto("/w/default/settings/credentials");
    expect(res?.status()).toBe(403);
    const api = await page.request.get(`/api/admin/credentials?workspaceId=${await workspaceId(request, "default")}`);
    expect(api.status()).toBe(403);
    await ctx.close();
  });
});

async function workspaceId(request: import("@playwright/test").APIRequestContext, slug: string): Promise<string> {
  const res = await request.get(`/api/admin/workspaces/${slug}`, { headers: bearer(E2E.envToken) });
  return (await res.json()).id;
}
