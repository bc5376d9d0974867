import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./support/helpers";

// The app's own mark: a logo on the sign-in page and in the sidebar, and icons that browsers, bookmarks and
// home screens pick up, all served from public/ by the production server.

test("the sign-in page shows the logo and declares icons that resolve", async ({ page, request }) => {
  await page.goto("/login");
  const logo = page.locator('main img[src="/logo.svg"]');
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

  const icons = await page
    .locator('head link[rel="icon"], head link[rel="apple-touch-icon"]')
    .evaluateAll((links) =>
      links.map((l) => ({
        rel: l.getAttribute("rel"),
        href: l.getAttribute("href")!,
        type: l.getAttribute("type"),
        sizes: l.getAttribute("sizes"),
      })),
    );
  expect(icons.map((i) => `${i.rel} ${i.href.split("?")[0]}`)).toEqual([
    "icon /favicon.ico",
    "icon /logo.svg",
    "icon /icon.png",
    "apple-touch-icon /apple-touch-icon.png",
  ]);
  const expected: Record<string, RegExp> = { ico: /^image\/(x-icon|vnd\.microsoft\.icon)/, svg: /^image\/svg\+xml/, png: /^image\/png/ };
  for (const icon of icons) {
    const res = await request.get(icon.href);
    expect(res.status(), icon.href).toBe(200);
    expect(res.headers()["content-type"], icon.href).toMatch(expected[icon.href.split("?")[0].split(".").pop()!]);
    expect((await res.body()).length, icon.href).toBeGreaterThan(100);
  }
  // Browsers ask for /favicon.ico on any page, declared or not: it is an icon with 16, 32 and 48 px images.
  const ico = await (await request.get("/favicon.ico")).body();
  expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 3]);
  expect(icons.find((i) => i.rel === "apple-touch-icon")?.sizes).toBe("180x180");
});

test("the sidebar shows the logo beside the name", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/");
  const sidebar = page.getByRole("complementary");
  const logo = sidebar.locator('img[src="/logo.svg"]');
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(sidebar).toContainText("Switchboard");
});
