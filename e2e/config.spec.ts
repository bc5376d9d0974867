import { expect, test } from "@playwright/test";
import { signInAsAdmin, unique } from "./support/helpers";

test.describe("configuration in the console", () => {
  test("a bad file is refused with its paths; a good one is applied", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto("/w/default/settings/config");
    const editor = page.getByLabel("Configuration");
    await editor.fill("workspaces:\n  - name: fine-name\n  - description: missing name\n");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByRole("listitem").filter({ hasText: "workspaces[1].name: Required" })).toBeVisible();

    const name = unique("from-console");
    await editor.fill(`workspaces:\n  - name: ${name}\n`);
    await page.getByRole("button", { name: "Validate" }).click();
    await expect(page.getByText(name).first()).toBeVisible();
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByRole("row").filter({ hasText: name })).toContainText(/create/i);
    const list = await (await page.request.get(`/api/admin/workspaces?q=${name}`)).json();
    expect(list.data).toHaveLength(1);
  });
});
