import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { createKeyViaApi } from "./support/gateway";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";

// A worker's webhook delivery from the console (delivery URL, signing secret shown once, rotation) and its pull
// queue on the production server's lean data plane.
test.describe("Webhook delivery of a worker", () => {
  test("an Admin sets the delivery URL, copies the secret shown once, rotates it; a key pulls the worker's queue", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("delivery-admin")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "ADMIN", name: "Delivery Admin", password: "admin-password-9" });
    await signInViaApi(page.request, email, "admin-password-9");
    const admin = { headers: bearer(E2E.envToken) };
    const created = await request.post(`/api/admin/workers?workspaceId=${ws.id}`, { ...admin, data: { name: "Ticket triage" } });
    expect(created.status()).toBe(201);
    const worker = (await created.json()) as { id: string };

    await page.goto(`/w/${ws.slug}/agents/workers/${worker.id}`);
    await expect(page.getByRole("heading", { name: "Webhook delivery" })).toBeVisible();
    await expect(page.getByTestId("delivery-url")).toContainText("Not forwarded");
    await expect(page.getByTestId("delivery-pull-snippet")).toContainText("/api/v1/events?worker=Ticket%20triage&wait=20");

    // A bad URL is refused next to the field; a good one generates the secret, shown once.
    await page.getByRole("button", { name: "Set delivery URL" }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByLabel("Delivery URL").fill("ftp://agents.example.com/hooks");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByRole("alert")).toContainText("http(s) URL");
    await dialog.getByLabel("Delivery URL").fill("https://agents.example.com/hooks");
    await expect(dialog.getByText("Internal: allow private and loopback addresses")).toBeVisible();
    await dialog.getByRole("button", { name: "Save" }).click();
    const secret = (await dialog.getByTestId("delivery-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{44}$/);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("delivery-url")).toContainText("https://agents.example.com/hooks");
    await expect(page.getByTestId("delivery-secret-mask")).not.toContainText("None yet");
    await expect(page.getByTestId("delivery-verify-snippet")).toContainText("new Webhook(");

    // Never shown again: not on the reloaded page, not in the admin API.
    await page.reload();
    await expect(page.getByTestId("delivery-url")).toContainText("https://agents.example.com/hooks");
    expect(await page.content()).not.toContain(secret.slice(6));
    const read = await request.get(`/api/admin/workers/${worker.id}`, admin);
    const body = await read.text();
    expect(body).not.toContain(secret.slice(6));
    expect(JSON.parse(body)).toMatchObject({ delivery: { url: "https://agents.example.com/hooks", secretSet: true } });

    // Rotation shows a new secret once.
    await page.getByRole("button", { name: "Rotate signing secret" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = (await dialog.getByTestId("delivery-secret").textContent()) ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await dialog.getByRole("button", { name: "Done" }).click();

    // The worker's pull queue on the data plane: empty, precise 400s, 404 for an unknown event, 401 without a key.
    const key = await createKeyViaApi(request, ws.id);
    const pull = await request.get(`/api/v1/events?worker=${encodeURIComponent("Ticket triage")}`, { headers: bearer(key.value) });
    expect(pull.status()).toBe(200);
    expect(await pull.json()).toEqual({ data: [] });
    const bad = await request.get(`/api/v1/events?worker=${worker.id}&wait=90`, { headers: bearer(key.value) });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.message).toBe("wait must be at most 30.");
    expect((await request.post(`/api/v1/events/evt_unknown/ack`, { headers: bearer(key.value) })).status()).toBe(404);
    expect((await request.get(`/api/v1/events?worker=${worker.id}`)).status()).toBe(401);
  });

  test("a Builder does not get the internal option and cannot point the worker at a private address", async ({ page, request }) => {
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("delivery-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Delivery Builder", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");
    const created = await request.post(`/api/admin/workers?workspaceId=${ws.id}`, {
      headers: bearer(E2E.envToken),
      data: { name: "Local bot" },
    });
    const worker = (await created.json()) as { id: string };
    await page.goto(`/w/${ws.slug}/agents/workers/${worker.id}`);
    await page.getByRole("button", { name: "Set delivery URL" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByText("Internal: allow private and loopback addresses")).toHaveCount(0);
    await dialog.getByLabel("Delivery URL").fill("http://10.1.2.3/hooks");
    await dialog.getByRole("button", { name: "Save" }).click();
    // Next to the field: why, and who can allow it.
    await expect(dialog.getByRole("alert").filter({ hasText: "an Admin can mark the delivery internal" })).toBeVisible();
    expect(
      (await request.get(`/api/admin/workers/${worker.id}`, { headers: bearer(E2E.envToken) }).then((r) => r.json())).delivery,
    ).toEqual({
      url: null,
      internal: false,
      secretSet: false,
      secretMask: null,
    });
  });
});
