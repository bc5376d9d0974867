import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, createWorkspaceViaApi, unique } from "./support/helpers";

test.describe("sign-in", () => {
  test("an admin signs in with email and password and lands in a workspace", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel("Email").fill(E2E.adminEmail);
    await page.getByLabel("Password").fill(E2E.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/w\/[a-z0-9-]+/);
    await expect(page.getByRole("link", { name: "Settings" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Your Connectors" })).toBeVisible();
  });

  test("a wrong password and an unknown email get the same generic message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(E2E.adminEmail);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
    await expect(page).toHaveURL(/\/login/);

    await page.getByLabel("Email").fill("nobody@e2e.test");
    await page.getByLabel("Password").fill("whatever-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
  });

  test("repeated failures on one account are throttled, even with the right password", async ({ page, request }) => {
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("throttled")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "MEMBER", name: "Throttled", password: "right-password-123" });
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Password").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
    }
    await page.getByLabel("Password").fill("right-password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toContainText("Too many failed sign-in attempts");
    await expect(page).toHaveURL(/\/login/);
  });

  test("sign-out ends the session", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(E2E.adminEmail);
    await page.getByLabel("Password").fill(E2E.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/w/default/settings/members");
    await expect(page).toHaveURL(/\/login/);
    const api = await page.request.get("/api/admin/workspaces");
    expect(api.status()).toBe(401);
  });
});
