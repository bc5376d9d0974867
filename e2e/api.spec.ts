import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { bearer, createWorkspaceViaApi, unique } from "./support/helpers";

test.describe("admin API", () => {
  test("health reports the database and the version", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ok");
    expect(body.database.ok).toBe(true);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.headers()["x-request-id"]).toBeTruthy();
  });

  test("refuses callers without a session or token, as a problem document", async ({ request }) => {
    const res = await request.get("/api/admin/workspaces");
    expect(res.status()).toBe(401);
    expect(res.headers()["content-type"]).toContain("application/problem+json");
    const problem = await res.json();
    expect(problem).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(problem.requestId).toBe(res.headers()["x-request-id"]);
  });

  test("hostile bearer tokens all get the same 401", async ({ request }) => {
    for (const token of ["' OR 1=1--", "x".repeat(10_000), "sbat_\u00e9\u00ff-latin1", "Bearer", E2E.envToken + "x"]) {
      const res = await request.get("/api/admin/workspaces", { headers: { authorization: `Bearer ${token}` } });
      expect(res.status(), token.slice(0, 20)).toBe(401);
      expect(await res.text()).not.toContain(token.slice(0, 40));
    }
  });

  test("the environment token lists workspaces with a cursor", async ({ request }) => {
    await createWorkspaceViaApi(request);
    await createWorkspaceViaApi(request);
    const first = await request.get("/api/admin/workspaces?limit=1", { headers: bearer(E2E.envToken) });
    expect(first.status()).toBe(200);
    const page1 = await first.json();
    expect(page1.data).toHaveLength(1);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = await (
      await request.get(`/api/admin/workspaces?limit=1&cursor=${page1.nextCursor}`, { headers: bearer(E2E.envToken) })
    ).json();
    expect(page2.data).toHaveLength(1);
    expect(page2.data[0].id).not.toBe(page1.data[0].id);
  });

  test("validation errors name the field and the reason, and nothing is written", async ({ request }) => {
    const before = (await (await request.get("/api/admin/workspaces?limit=200", { headers: bearer(E2E.envToken) })).json()).data.length;
    const res = await request.post("/api/admin/workspaces", { headers: bearer(E2E.envToken), data: { name: "", extra: 1 } });
    expect(res.status()).toBe(422);
    const problem = await res.json();
    const paths = problem.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain("name");
    expect(paths).toContain("(root)");
    const after = (await (await request.get("/api/admin/workspaces?limit=200", { headers: bearer(E2E.envToken) })).json()).data.length;
    expect(after).toBe(before);
  });

  test("a duplicate workspace name is a 409 on the name field", async ({ request }) => {
    const ws = await createWorkspaceViaApi(request);
    const res = await request.post("/api/admin/workspaces", { headers: bearer(E2E.envToken), data: { name: ws.name.toUpperCase() } });
    expect(res.status()).toBe(409);
    expect((await res.json()).errors[0].path).toBe("name");
  });

  test("malformed JSON and wrong content types are refused", async ({ request }) => {
    const bad = await request.post("/api/admin/workspaces", {
      headers: { ...bearer(E2E.envToken), "content-type": "application/json" },
      data: Buffer.from("{not json"),
    });
    expect(bad.status()).toBe(400);
    const form = await request.post("/api/admin/workspaces", { headers: bearer(E2E.envToken), form: { name: unique("x") } });
    expect(form.status()).toBe(415);
  });

  test("the OpenAPI document describes the resources", async ({ request }) => {
    const res = await request.get("/api/admin/openapi.json");
    expect(res.status()).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    for (const p of [
      "/api/admin/workspaces",
      "/api/admin/workspaces/{id}/members",
      "/api/admin/tokens",
      "/api/admin/audit",
      "/api/admin/config",
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const create = doc.paths["/api/admin/workspaces"].post.requestBody.content["application/json"].schema;
    expect(create.required).toContain("name");
    expect(create.properties.name.minLength).toBe(2);
  });

  test("the start-up configuration file was applied", async ({ request }) => {
    const list = await (await request.get("/api/admin/workspaces?q=Startup", { headers: bearer(E2E.envToken) })).json();
    expect(list.data.map((w: { name: string }) => w.name)).toContain("Startup Research");
    const me = await request.get("/api/admin/me", { headers: bearer(E2E.startupToken) });
    expect(me.status()).toBe(200);
    expect((await me.json()).label).toBe("token:startup-automation");
  });
});
