import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { bearer, unique } from "./support/helpers";

const yaml = { ...bearer(E2E.envToken), "content-type": "application/yaml" };

async function workspaceNames(request: import("@playwright/test").APIRequestContext) {
  const res = await request.get("/api/admin/workspaces?limit=200", { headers: bearer(E2E.envToken) });
  return ((await res.json()).data as { name: string }[]).map((w) => w.name);
}

test.describe("configuration as code (API)", () => {
  test("a bad file is refused as a whole with every problem by path", async ({ request }) => {
    const good = unique("cfg-good");
    const before = await workspaceNames(request);
    const res = await request.post("/api/admin/config", {
      headers: yaml,
      data: `workspaces:\n  - name: ${good}\n  - description: no name here\n  - name: x\nadminTokens:\n  - name: t1\n    value: short\n`,
    });
    expect(res.status()).toBe(422);
    const problem = await res.json();
    const lines = problem.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`);
    expect(lines).toContain("workspaces[1].name: Required");
    expect(lines.some((l: string) => l.startsWith("workspaces[2].name:"))).toBe(true);
    expect(lines.some((l: string) => l.startsWith("adminTokens[0].value:"))).toBe(true);
    expect(problem.detail).toContain("nothing was applied");
    expect(await workspaceNames(request)).toEqual(before);
    expect(before).not.toContain(good);
  });

  test("applying the same file twice changes nothing the second time", async ({ request }) => {
    const name = unique("cfg-twice");
    const doc = `workspaces:\n  - name: ${name}\n    description: from config\n`;
    const first = await (await request.post("/api/admin/config", { headers: yaml, data: doc })).json();
    expect(first.summary).toMatchObject({ create: 1, update: 0 });
    const auditBefore = (await (await request.get(`/api/admin/audit?q=${name}&limit=200`, { headers: bearer(E2E.envToken) })).json()).data.length;
    const second = await (await request.post("/api/admin/config", { headers: yaml, data: doc })).json();
    expect(second.summary).toMatchObject({ create: 0, update: 0, unchanged: 1 });
    const auditAfter = (await (await request.get(`/api/admin/audit?q=${name}&limit=200`, { headers: bearer(E2E.envToken) })).json()).data.length;
    expect(auditAfter).toBe(auditBefore);
  });

  test("JSON bodies work and dry runs write nothing", async ({ request }) => {
    const name = unique("cfg-json");
    const dry = await request.post("/api/admin/config?dryRun=true", {
      headers: { ...bearer(E2E.envToken), "content-type": "application/json" },
      data: { workspaces: [{ name }] },
    });
    expect(dry.status()).toBe(200);
    expect((await dry.json()).changes[0]).toMatchObject({ action: "create", name });
    expect(await workspaceNames(request)).not.toContain(name);
  });

  test("export never contains a secret and round-trips", async ({ request }) => {
    const res = await request.get("/api/admin/config", { headers: bearer(E2E.envToken) });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("yaml");
    const text = await res.text();
    expect(text).toContain("Startup Research");
    expect(text).toContain("${env:SWITCHBOARD_TOKEN_STARTUP_AUTOMATION}");
    expect(text).not.toContain(E2E.startupToken);
  });

  test("YAML bombs and custom tags are refused", async ({ request }) => {
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join("\n");
    const res = await request.post("/api/admin/config", { headers: yaml, data: bomb });
    expect([400, 413, 422]).toContain(res.status());
    const tag = await request.post("/api/admin/config", { headers: yaml, data: "workspaces: !!js/function 'function(){}'\n" });
    expect([400, 422]).toContain(tag.status());
  });
});
