import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./support/env";
import { bearer, signInAsAdmin } from "./support/helpers";

// The canary sweep (CHECKLIST item 5): secrets given to the server must appear nowhere but encrypted in the
// credential store: not in responses, pages, logs, audit entries, exports, client bundles or the raw files
// of the database.
const canaries = [E2E.canaryInstance, E2E.canaryWorkspace];
const replacement = "sk-canaryrepl-5e0b7d2c9a41f38e6d";
const all = [...canaries, replacement];

function expectNoCanary(where: string, text: string) {
  for (const c of all) expect(text.includes(c), `${where} contains a canary secret`).toBe(false);
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

async function consoleLinks(page: Page): Promise<string[]> {
  const hrefs = await page
    .locator("a[href^='/w/']")
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href") ?? ""));
  return [...new Set(hrefs.map((h) => h.split("?")[0]))];
}

test("canary secrets appear nowhere outside the encrypted store", async ({ page, request }) => {
  // It walks every console page and API list: ~55 s on a loaded 2-core machine, too close to the 60 s default.
  test.setTimeout(180_000);
  const api = (p: string, init?: Parameters<typeof request.fetch>[1]) =>
    request.fetch(p, { ...init, headers: { ...bearer(E2E.envToken), ...init?.headers } });
  const seen: string[] = [];
  const record = async (label: string, res: Awaited<ReturnType<typeof api>>) => {
    const body = await res.text();
    seen.push(label);
    expectNoCanary(label, body + JSON.stringify(res.headers()));
    return body;
  };

  // The admin API: lists, reads, a replaced value, refused inputs that carry a canary, the export, the audit log.
  const workspaces = JSON.parse(await record("workspaces", await api("/api/admin/workspaces?limit=200")));
  const research = workspaces.data.find((w: { name: string }) => w.name === "Startup Research");
  const instanceCreds = JSON.parse(await record("instance credentials", await api("/api/admin/credentials")));
  expect(instanceCreds.data.map((c: { name: string }) => c.name)).toContain("openai-primary");
  expect(instanceCreds.data.find((c: { name: string }) => c.name === "openai-primary").mask).toBe(`sk-...${E2E.canaryInstance.slice(-4)}`);
  const wsCreds = JSON.parse(await record("workspace credentials", await api(`/api/admin/credentials?workspaceId=${research.id}`)));
  const slack = wsCreds.data.find((c: { name: string }) => c.name === "slack-bot");
  await record("credential read", await api(`/api/admin/credentials/${slack.id}`));
  const patched = await api(`/api/admin/credentials/${slack.id}`, { method: "PATCH", data: { value: replacement } });
  expect(patched.status()).toBe(200);
  await record("credential replace", patched);
  const refused = await api(`/api/admin/credentials?workspaceId=${research.id}`, {
    method: "POST",
    data: { name: "!", kind: "nope", value: E2E.canaryInstance },
  });
  expect(refused.status()).toBe(422);
  await record("refused create", refused);
  const refusedConfig = await api("/api/admin/config", {
    method: "POST",
    headers: { "content-type": "application/yaml" },
    data: `credentials:\n  - name: bad name!\n    value: ${E2E.canaryWorkspace}\n    extra: ${E2E.canaryInstance}\n`,
  });
  expect(refusedConfig.status()).toBe(422);
  await record("refused config", refusedConfig);
  const badToken = await request.get("/api/admin/workspaces", { headers: bearer(E2E.canaryInstance) });
  expect(badToken.status()).toBe(401);
  await record("canary as bearer", badToken);
  const exported = await record("config export", await api("/api/admin/config"));
  expect(exported).toContain("${env:SWITCHBOARD_SECRET_OPENAI_PRIMARY}");
  await record("config export json", await api("/api/admin/config?format=json"));
  await record("audit", await api("/api/admin/audit?limit=200"));
  await record("key counts", await api("/api/admin/credentials/keys"));

  // Every console page reachable from the navigation, in both workspaces.
  await signInAsAdmin(page);
  for (const slug of ["default", research.slug]) {
    await page.goto(`/w/${slug}`);
    const links = await consoleLinks(page);
    expect(links.length).toBeGreaterThan(8);
    for (const href of links) {
      const res = await page.goto(href);
      expect(res?.status(), href).toBeLessThan(500);
      await page.waitForLoadState("networkidle");
      expectNoCanary(`page ${href}`, await page.content());
    }
  }

  // Client bundles, the server log and every file of the embedded database.
  const root = path.resolve(import.meta.dirname, "..");
  const bundles = filesUnder(path.join(root, ".next", "static")).filter((f) => f.endsWith(".js"));
  expect(bundles.length).toBeGreaterThan(0);
  for (const f of bundles) expectNoCanary(`bundle ${path.relative(root, f)}`, fs.readFileSync(f, "utf8"));
  const log = fs.readFileSync(E2E.serverLog, "utf8");
  expect(log).toContain("ready");
  expectNoCanary("server log", log);
  const dbFiles = filesUnder(E2E.dataDir);
  expect(dbFiles.length).toBeGreaterThan(10);
  // Positive control: the scan does see row data (a credential's name is stored in clear).
  expect(dbFiles.some((f) => fs.readFileSync(f).includes(Buffer.from("Instance-level key for a platform")))).toBe(true);
  for (const f of dbFiles) {
    const bytes = fs.readFileSync(f);
    for (const c of all) expect(bytes.includes(Buffer.from(c)), `${path.relative(E2E.dataDir, f)} contains a canary`).toBe(false);
  }
  expect(seen.length).toBeGreaterThan(10);
});
