import crypto from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";

// Incoming webhooks from the console: a Builder creates a Standard Webhooks endpoint, copies the secret the
// dialog reveals once, and a sender signing with the `standardwebhooks` library reaches the ingress; the event
// log shows verified and refused requests with the reason, replays one, and rotation keeps two secrets valid.

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/** A request as a Standard Webhooks sender makes it: webhook-id, webhook-timestamp, webhook-signature. */
function signedHeaders(secret: string, body: string) {
  const id = `msg_${crypto.randomBytes(8).toString("hex")}`;
  const at = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

async function send(request: APIRequestContext, url: string, secret: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return request.post(url, { headers: signedHeaders(secret, body), data: body });
}

test.describe("Incoming Webhooks", () => {
  test("a Builder creates an endpoint, a signed sender is verified, a bad signature refused, an event replayed, the secret rotated and the endpoint deleted", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    const worker = await request.post("/api/admin/workers", {
      headers: bearer(E2E.envToken),
      params: { workspaceId: ws.id },
      data: { name: "Order processor" },
    });
    expect(worker.status()).toBe(201);
    const email = `${unique("wh-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Webhook Builder", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");

    await page.goto(`/w/${ws.slug}/providers/webhooks`);
    await expect(page.getByRole("tab", { name: "Incoming Webhooks" })).toBeVisible();
    await expect(page.getByText("No incoming webhooks yet")).toBeVisible();
    await page.getByRole("button", { name: "Create your first webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "New incoming webhook" });

    // The dialog validates with the API's schema before sending anything.
    await dialog.getByRole("button", { name: "Create endpoint" }).click();
    await expect(dialog.getByText("Must be at least 2 characters")).toBeVisible();
    await expect(dialog.getByText("Required")).toBeVisible();

    await dialog.getByLabel("Name", { exact: true }).fill("Shop orders");
    await expect(dialog.getByLabel("Scheme")).toHaveValue("standard-webhooks");
    await dialog.getByLabel("Target").selectOption({ label: "Order processor" });
    await dialog.getByLabel("Redact fields").fill("card.number");
    await dialog.getByRole("button", { name: "Create endpoint" }).click();

    const reveal = page.getByRole("dialog", { name: "Shop orders is ready" });
    await expect(reveal.getByText("you won't see it again")).toBeVisible();
    const shown = (await reveal.getByTestId("webhook-secret").textContent()) ?? "";
    expect(shown).toMatch(/^whsec_/);
    await reveal.getByTestId("webhook-secret").locator("..").getByRole("button", { name: "Copy" }).click();
    const secret = await page.evaluate(() => navigator.clipboard.readText());
    expect(secret).toBe(shown);
    const url = (await reveal.getByTestId("webhook-url").textContent()) ?? "";
    expect(url).toMatch(new RegExp(`^${E2E.baseURL}/api/webhooks/[A-Za-z0-9_-]+$`));
    await expect(reveal.getByRole("region", { name: "Configure the sender" })).toContainText("standardwebhooks");
    await reveal.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("webhook-name")).toHaveText("Shop orders");
    await expect(page.getByTestId("webhook-ingress-url")).toHaveText(url);

    // A signed request is accepted; one signed with another secret is refused.
    const ok = await send(request, url, secret, { type: "order.paid", card: { number: "4242424242424242" } });
    expect(ok.status()).toBe(202);
    const wrong = await send(request, url, `whsec_${crypto.randomBytes(24).toString("base64")}`, { type: "order.forged" });
    expect(wrong.status()).toBe(401);

    await page.getByRole("button", { name: "Refresh" }).click();
    const events = page.getByRole("table", { name: "Events" });
    const verifiedRow = events.getByRole("row").filter({ hasText: "Verified" });
    const refusedRow = events.getByRole("row").filter({ hasText: "Refused" });
    await expect(verifiedRow).toHaveCount(1);
    await expect(verifiedRow).toContainText("Queued");
    await expect(verifiedRow).toContainText("202");
    await expect(refusedRow).toHaveCount(1);
    await expect(refusedRow).toContainText(/signature/i);
    await expect(refusedRow).toContainText("401");
    await expect(page.getByTestId("webhook-stats-summary")).toContainText("2 received · 1 verified · 1 refused");

    // Filters: only the refused request.
    await page.getByLabel("Verification").selectOption({ label: "Refused" });
    await expect(events.getByRole("row").filter({ hasText: "Verified" })).toHaveCount(0);
    await expect(refusedRow).toHaveCount(1);
    await page.getByLabel("Verification").selectOption({ label: "Any" });

    // The drawer shows the payload with the redacted field masked.
    await verifiedRow.getByRole("button", { name: /Open event/ }).click();
    const drawer = page.getByRole("dialog", { name: "Webhook event" });
    await expect(drawer.getByTestId("webhook-event-payload")).toContainText("order.paid");
    await expect(drawer.getByTestId("webhook-event-payload")).not.toContainText("4242424242424242");
    await expect(drawer.getByText("webhook-id")).toBeVisible();

    // Replay, after a confirmation, adds a new event handed to the target.
    await drawer.getByRole("button", { name: "Replay" }).click();
    await page.getByRole("dialog", { name: "Replay this event?" }).getByRole("button", { name: "Replay event" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Replay queued" })).toBeVisible();
    await expect(drawer).toBeHidden();
    await expect(events.getByRole("row").filter({ hasText: "replay" })).toHaveCount(1);
    await expect(events.getByRole("row").filter({ hasText: "Verified" })).toHaveCount(2);

    // A payload over 16 KB is left out of the list; the drawer reads the event for it.
    const note = "y".repeat(20_000);
    expect((await send(request, url, secret, { type: "order.big", note })).status()).toBe(202);
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(events.getByRole("row").filter({ hasText: "Verified" })).toHaveCount(3);
    await events
      .getByRole("row")
      .filter({ hasText: "Verified" })
      .first()
      .getByRole("button", { name: /Open event/ })
      .click();
    await expect(drawer.getByTestId("webhook-event-payload")).toContainText("order.big");
    await expect(drawer.getByTestId("webhook-event-payload")).toContainText(note);
    await drawer.getByRole("button", { name: "Close" }).click();
    await expect(drawer).toBeHidden();

    // Rotation: a new current secret, the old one expiring; both verify during the grace period.
    await page.getByRole("tab", { name: /Secrets/ }).click();
    await expect(page.getByRole("table", { name: "Secrets" }).getByRole("row")).toHaveCount(2);
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate the signing secret" });
    await expect(rotate.getByLabel("Keep the current secret valid for")).toHaveValue("86400");
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = page.getByRole("dialog", { name: "Secret rotated" });
    const newSecret = (await rotated.getByTestId("webhook-secret").textContent()) ?? "";
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole("button", { name: "Done" }).click();
    const secrets = page.getByRole("table", { name: "Secrets" });
    await expect(secrets.getByRole("row")).toHaveCount(3);
    await expect(secrets.getByText("Current")).toHaveCount(1);
    await expect(secrets.getByRole("row").filter({ hasText: "Expiring" })).toContainText(/\d+ h \d+ min left/);
    await expect(page.getByText(newSecret)).toHaveCount(0);
    expect((await send(request, url, newSecret, { type: "order.new-secret" })).status()).toBe(202);
    expect((await send(request, url, secret, { type: "order.old-secret" })).status()).toBe(202);

    // Disabled, the endpoint refuses at once (403); enabled again, it accepts.
    await page.getByRole("button", { name: "Disable" }).click();
    await expect(page.getByText("Disabled", { exact: true })).toBeVisible();
    expect((await send(request, url, newSecret, { type: "order.while-disabled" })).status()).toBe(403);
    await page.getByRole("button", { name: "Enable" }).click();
    await expect(page.getByText("Enabled", { exact: true })).toBeVisible();
    expect((await send(request, url, newSecret, { type: "order.enabled-again" })).status()).toBe(202);

    // Settings: the schema refuses a retention of 0 days; 7 is saved.
    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByLabel("Keep events (days)").fill("0");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Too small")).toBeVisible();
    await page.getByLabel("Keep events (days)").fill("7");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Settings saved.")).toBeVisible();

    // Delete with confirmation: the list is empty again and the URL answers 404.
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete webhook" }).click();
    await expect(page.getByText("No incoming webhooks yet")).toBeVisible();
    expect((await send(request, url, newSecret, { type: "order.after-delete" })).status()).toBe(404);
  });

  test("a Member does not see the tab and cannot open the page or read webhooks", async ({ browser, request }) => {
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("wh-member")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "MEMBER", name: "Webhook Member", password: "member-password-9" });
    const context = await browser.newContext({ baseURL: E2E.baseURL });
    const page = await context.newPage();
    await signInViaApi(page.request, email, "member-password-9");
    expect((await page.request.get("/api/admin/webhooks", { params: { workspaceId: ws.id } })).status()).toBe(403);
    await page.goto(`/w/${ws.slug}/providers/webhooks`);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await expect(page.getByRole("tab", { name: "Incoming Webhooks" })).toHaveCount(0);
    await context.close();
  });
});
