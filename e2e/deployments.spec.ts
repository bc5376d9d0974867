import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, signInAsAdmin, signInViaApi, unique } from "./support/helpers";

/** A fake vLLM server speaking the OpenAI wire format on 127.0.0.1. */
function fakeVllm(servedModel: string) {
  return http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          data: [{ id: servedModel, object: "model", created: 1732000000, owned_by: "vllm", max_model_len: 32768 }],
        }),
      );
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "Not found", type: "invalid_request_error" } }));
  });
}

const listen = (server: http.Server, port = 0) =>
  new Promise<number>((r) => server.listen(port, "127.0.0.1", () => r((server.address() as AddressInfo).port)));
const close = (server: http.Server) =>
  new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });

test.describe("deployments", () => {
  test("watches a deployment instance turn unhealthy when its local test server stops and healthy when it returns", async ({
    page,
    request,
  }) => {
    const servedModel = "Qwen/Qwen2.5-7B-Instruct";
    let server = fakeVllm(servedModel);
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}/v1`;
    const name = unique("vllm-cluster");

    await signInAsAdmin(page);
    await page.goto("/w/default/deployments");
    await page.getByRole("button", { name: "Add deployment" }).click();
    const dialog = page.getByRole("dialog");
    // The form checks with the API's schema before sending.
    await dialog.getByRole("button", { name: "Add deployment" }).click();
    await expect(dialog.getByText("Must be at least 2 characters")).toBeVisible();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Engine").selectOption("vllm");
    await dialog.getByLabel("Served model").fill(servedModel);
    await dialog.getByLabel("Interval (s)").fill("1");
    await dialog.getByLabel("Timeout (ms)").fill("800");
    await dialog.getByLabel("Unhealthy after", { exact: true }).fill("2");
    await dialog.getByLabel("Healthy after", { exact: true }).fill("1");
    await dialog.getByLabel("Instance URL").fill(url);
    await dialog.getByLabel("Replicas").fill("2");
    await dialog.getByLabel("GPU").fill("1xL4");
    // Without "internal" the server refuses the loopback address, next to the field.
    await dialog.getByRole("button", { name: "Add deployment" }).click();
    await expect(
      dialog
        .getByRole("alert")
        .filter({ hasText: /internal/ })
        .first(),
    ).toBeVisible();
    await dialog.getByLabel("Internal").check();
    await dialog.getByRole("button", { name: "Add deployment" }).click();
    await expect(dialog).toBeHidden();

    await expect(page.getByRole("heading", { name })).toBeVisible();
    const row = page.getByRole("table", { name: "Instances" }).getByRole("row").filter({ hasText: url });
    await expect(row).toContainText("Healthy", { timeout: 15_000 });
    await expect(row).toContainText("1xL4");

    await close(server);
    await expect(row).toContainText("Unhealthy", { timeout: 15_000 });
    await expect(row).toContainText("Connection refused");

    server = fakeVllm(servedModel);
    await listen(server, port);
    await expect(row.getByText("Healthy", { exact: true })).toBeVisible({ timeout: 15_000 });

    const chart = page.getByRole("figure", { name: `Health history of ${url}` });
    await expect(chart).toBeVisible();
    await expect(chart.locator("svg.recharts-surface")).toBeVisible();
    await expect(chart).toContainText("Uptime");

    // The list shows the deployment with its healthy instance.
    await page.getByRole("link", { name: "Deployments" }).first().click();
    const listRow = page.getByRole("row").filter({ hasText: name });
    await expect(listRow).toContainText("1/1");
    await expect(listRow).toContainText(servedModel);

    // The admin API shows the same state and the recorded history.
    const list = await (await request.get(`/api/admin/deployments?q=${name}`, { headers: bearer(E2E.envToken) })).json();
    expect(list.data).toHaveLength(1);
    const history = await (
      await request.get(`/api/admin/deployments/${list.data[0].id}/health?minutes=10`, { headers: bearer(E2E.envToken) })
    ).json();
    const oks = history.instances[0].points.map((p: { ok: boolean }) => p.ok);
    expect(oks).toContain(false);
    expect(oks[oks.length - 1]).toBe(true);

    await close(server);
    const del = await request.delete(`/api/admin/deployments/${list.data[0].id}`, { headers: bearer(E2E.envToken) });
    expect(del.status()).toBe(204);
  });

  test("an admin adds, edits and removes an instance; deleting asks for confirmation", async ({ page, request }) => {
    const name = unique("tgi");
    const created = await request.post("/api/admin/deployments", {
      headers: bearer(E2E.envToken),
      data: {
        name,
        engine: "tgi",
        internal: true,
        healthCheck: { intervalSeconds: 3600 },
        instances: [{ url: "http://10.11.12.13:8080/v1", replicas: 1, gpu: "1xA10" }],
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const id = (await created.json()).id;

    await signInAsAdmin(page);
    await page.goto(`/w/default/deployments/${id}`);
    await page.getByRole("button", { name: "Add instance" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Instance URL").fill("http://10.11.12.14:8080/v1");
    await dialog.getByLabel("Weight").fill("101");
    await dialog.getByRole("button", { name: "Add instance" }).click();
    await expect(dialog.getByText("Must be at most 100")).toBeVisible();
    await dialog.getByLabel("Weight").fill("3");
    await dialog.getByRole("button", { name: "Add instance" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole("row").filter({ hasText: "10.11.12.14" });
    await expect(row).toContainText("3");

    await row.getByRole("button", { name: "Edit" }).click();
    await page.getByRole("dialog").getByLabel("GPU").fill("2xA10G");
    await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await expect(row).toContainText("2xA10G");

    await row.getByRole("button", { name: "Remove" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
    await expect(page.getByRole("alertdialog")).toHaveCount(0); // closes once the server answered
    await expect(page.getByRole("row").filter({ hasText: "10.11.12.14" })).toHaveCount(0);

    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("No model routes to it");
    await confirm.getByRole("button", { name: "Delete deployment" }).click();
    await expect(page).toHaveURL(/\/w\/default\/deployments$/);
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);

    const audit = await (await request.get(`/api/admin/audit?targetType=deployment&limit=200`, { headers: bearer(E2E.envToken) })).json();
    const actions = (audit.data as { action: string; targetId: string }[]).filter((a) => a.targetId === id).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "deployment.create",
        "deployment.instance.add",
        "deployment.instance.update",
        "deployment.instance.remove",
        "deployment.delete",
      ]),
    );
  });

  test("a workspace Admin sees deployments but no controls to change them; a Builder cannot open the page", async ({
    browser,
    request,
  }) => {
    const name = unique("ro");
    const created = await request.post("/api/admin/deployments", {
      headers: bearer(E2E.envToken),
      data: { name, internal: true, healthCheck: { intervalSeconds: 3600 }, instances: [{ url: "http://10.1.1.1:8000/v1" }] },
    });
    expect(created.status()).toBe(201);
    const wsId = (await (await request.get("/api/admin/workspaces/default", { headers: bearer(E2E.envToken) })).json()).id;
    const adminEmail = `${unique("dep-admin")}@e2e.test`;
    const builderEmail = `${unique("dep-builder")}@e2e.test`;
    await addMemberViaApi(request, wsId, { email: adminEmail, role: "ADMIN", name: "WS Admin", password: "ws-admin-password-1" });
    await addMemberViaApi(request, wsId, { email: builderEmail, role: "BUILDER", name: "WS Builder", password: "ws-builder-password-1" });

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signInViaApi(page.request, adminEmail, "ws-admin-password-1");
    await page.goto(`/w/default/deployments/${(await created.json()).id}`);
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add instance" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete", exact: true })).toHaveCount(0);
    const refused = await page.request.post("/api/admin/deployments", { data: { name: unique("nope") }, headers: { origin: E2E.baseURL } });
    expect(refused.status()).toBe(403);
    await ctx.close();

    const ctx2 = await browser.newContext();
    const page2 = await ctx2.newPage();
    await signInViaApi(page2.request, builderEmail, "ws-builder-password-1");
    expect((await page2.goto("/w/default/deployments"))?.status()).toBe(403);
    expect((await page2.request.get("/api/admin/deployments")).status()).toBe(403);
    await ctx2.close();
  });
});
