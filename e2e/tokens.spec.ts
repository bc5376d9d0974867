import { expect, test } from "@playwright/test";
import { bearer, signInAsAdmin, unique } from "./support/helpers";

test.describe("admin tokens", () => {
  test("a token created in Settings works on the admin API until it is revoked", async ({ page, request }) => {
    await signInAsAdmin(page);
    await page.goto("/w/default/settings/tokens");
    const name = unique("automation");
    await page.getByRole("button", { name: "Create token" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Create token" }).click();
    const token = (await dialog.getByTestId("new-token").textContent())?.trim() ?? "";
    expect(token).toMatch(/^sbat_[A-Za-z0-9_-]{40,}$/);

    const ok = await request.get("/api/admin/workspaces", { headers: bearer(token) });
    expect(ok.status()).toBe(200);

    await page.keyboard.press("Escape");
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(token.slice(0, 12));
    await expect(page.getByText(token)).toHaveCount(0);
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    // While the confirmation is open the page behind it is aria-hidden (no rows by role): wait for it to close,
    // which happens once the revoke has been answered.
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);

    const refused = await request.get("/api/admin/workspaces", { headers: bearer(token) });
    expect(refused.status()).toBe(401);

    const audit = await (await page.request.get(`/api/admin/audit?q=${name}`)).json();
    const actions = audit.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["token.create", "token.revoke"]));
    expect(JSON.stringify(audit)).not.toContain(token);
  });
});
