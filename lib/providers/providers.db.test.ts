import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createUser, userInWorkspace, addMembership } from "../testing/factories";
import { db, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { watchEventLoop } from "../testing/event-loop";
import { createProvider, importProviderVersion } from "./import-provider";
import { getProvider } from "./get-provider";
import { listProviders } from "./list-providers";
import { listOperations, setOperationEnabled } from "./list-operations";
import { diffVersions, listVersions, restoreVersion } from "./versions";
import { updateProvider } from "./update-provider";
import { deleteProvider } from "./delete-provider";

useTestDb();

const EXAMPLES = path.resolve(import.meta.dirname, "../../node_modules/@readme/oas-examples");
const petstoreYaml = fs.readFileSync(path.join(EXAMPLES, "3.0/yaml/petstore.yaml"), "utf8");
const swaggerJson = fs.readFileSync(path.join(EXAMPLES, "2.0/json/petstore.json"), "utf8");

const counts = async () => ({
  providers: await db.provider.count(),
  versions: await db.providerVersion.count(),
  operations: await db.providerOperation.count(),
  audit: await db.auditEntry.count({ where: { targetType: "provider" } }),
});

const small = (paths: Record<string, unknown>, version = "1") =>
  JSON.stringify({ openapi: "3.0.3", info: { title: "Small", version }, paths });
const ok = { 200: { description: "ok" } };

describe("API providers", () => {
  it("a Builder imports a YAML document: provider, one version and every operation with its tool", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const p = await createProvider({ actor, workspaceId: ws.id, input: { name: "Petstore", document: petstoreYaml } });
    expect(p).toMatchObject({
      name: "Petstore",
      title: "Swagger Petstore",
      currentVersionNumber: 1,
      specVersion: "3.0.0",
      source: "console",
    });
    expect(p.operationCount).toBeGreaterThan(10);
    expect(p.authSchemes.map((a) => a.type).sort()).toEqual(["apiKey", "oauth2"]);
    expect(p.servers[0].url).toMatch(/^https?:\/\//);
    const ops = await listOperations({ actor, providerId: p.id, query: { limit: 5 } });
    expect(ops.total).toBe(p.operationCount);
    expect(ops.data).toHaveLength(5);
    expect(ops.tags).toContain("pet");
    expect(ops.data[0].tool.inputSchema).toMatchObject({ type: "object" });
    const next = await listOperations({ actor, providerId: p.id, query: { limit: 50, cursor: ops.nextCursor! } });
    expect(ops.data.length + next.data.length).toBe(p.operationCount);
    const byTag = await listOperations({ actor, providerId: p.id, query: { limit: 50, tag: "store", method: "GET" } });
    expect(byTag.data.every((o) => o.tags.includes("store") && o.method === "GET")).toBe(true);
    const search = await listOperations({ actor, providerId: p.id, query: { limit: 50, q: "findPetsByStatus" } });
    expect(search.data.map((o) => o.operationId)).toEqual(["findPetsByStatus"]);
    const audit = await db.auditEntry.findFirst({ where: { targetId: p.id, action: "provider.import" } });
    expect(audit?.workspaceId).toBe(ws.id);
  });

  it("an identical re-import makes no version; a changed one does, keeps switched-off operations off, and diffs", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const v1 = small({ "/a": { get: { operationId: "getA", responses: ok } }, "/b": { get: { operationId: "getB", responses: ok } } });
    const p = await createProvider({ actor, workspaceId: ws.id, input: { name: "Small", document: v1 } });
    const again = await importProviderVersion({ actor, providerId: p.id, input: { document: v1 } });
    expect(again.versionCreated).toBe(false);
    expect(await db.providerVersion.count({ where: { providerId: p.id } })).toBe(1);

    const getA = (await listOperations({ actor, providerId: p.id, query: { limit: 10, q: "getA" } })).data[0];
    expect((await setOperationEnabled({ actor, providerId: p.id, operationId: getA.id, enabled: false })).enabled).toBe(false);

    const v2 = small(
      {
        "/a": {
          get: { operationId: "getA", parameters: [{ name: "q", in: "query", required: true, schema: { type: "string" } }], responses: ok },
        },
        "/c": { post: { operationId: "postC", responses: ok } },
      },
      "2",
    );
    const after = await importProviderVersion({ actor, providerId: p.id, input: { document: v2 } });
    expect(after).toMatchObject({
      versionCreated: true,
      currentVersionNumber: 2,
      versionLabel: "2",
      operationCount: 2,
      enabledOperationCount: 1,
    });
    const versions = (await listVersions({ actor, providerId: p.id })).data;
    expect(versions.map((v) => [v.number, v.current, v.sourceKind])).toEqual([
      [2, true, "document"],
      [1, false, "document"],
    ]);
    const d = await diffVersions({ actor, providerId: p.id, from: versions[1].id, to: versions[0].id });
    expect(d.added.map((x) => x.operationId)).toEqual(["postC"]);
    expect(d.removed.map((x) => [x.operationId, x.breaking])).toEqual([["getB", true]]);
    expect(d.changed.map((x) => [x.operationId, x.breaking])).toEqual([["getA", true]]);
    expect(d.breaking).toBe(true);

    // Restore version 1: a new version 3 with version 1's document and operations.
    const restored = await restoreVersion({ actor, providerId: p.id, versionId: versions[1].id });
    expect(restored).toMatchObject({ versionCreated: true, currentVersionNumber: 3, operationCount: 2 });
    const ops = await listOperations({ actor, providerId: p.id, query: { limit: 10 } });
    expect(ops.data.map((o) => [o.operationId, o.enabled])).toEqual([
      ["getA", false],
      ["getB", true],
    ]);
    const v3 = (await listVersions({ actor, providerId: p.id })).data[0];
    expect(v3).toMatchObject({ number: 3, sourceKind: "restore", restoredFromId: versions[1].id, contentHash: versions[1].contentHash });
    expect(await db.auditEntry.count({ where: { targetId: p.id } })).toBe(4); // import, switch-off, re-import, restore; nothing for the identical re-import
  });

  it("refuses hostile and invalid documents with nothing stored", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const before = await counts();
    const bad = [
      small({ "/a": { get: { responses: { 200: { $ref: "http://169.254.169.254/latest/meta-data/#/x" } } } } }),
      small({ "/a": { get: { responses: { 200: { $ref: "file:///etc/passwd" } } } } }),
      "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
      '{"openapi": "3.0.0", "paths": {}}',
    ];
    for (const document of bad) {
      const e = await createProvider({ actor, workspaceId: ws.id, input: { name: "Bad", document } }).catch(
        (x: unknown) => x as { code: string; fields?: unknown[] },
      );
      expect(["validation_failed", "bad_request"]).toContain((e as { code: string }).code);
    }
    await expectAppError(
      createProvider({ actor, workspaceId: ws.id, input: { name: "Bad", url: "http://127.0.0.1:1/openapi.json" } }),
      "bad_request",
    );
    await expectAppError(
      createProvider({ actor, workspaceId: ws.id, input: { name: "Big", document: `{"x":"${"a".repeat(21 * 1024 * 1024)}"}` } }),
      "payload_too_large",
    );
    expect(await counts()).toEqual(before);
  });

  it("keeps workspaces apart and lets Members read nothing", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const p = await createProvider({ actor, workspaceId: ws.id, input: { name: "Swagger pets", document: swaggerJson } });
    expect(p.specVersion).toBe("2.0");
    const other = await userInWorkspace("ADMIN");
    await expectAppError(getProvider({ actor: other.actor, providerId: p.id }), "not_found");
    await expectAppError(listOperations({ actor: other.actor, providerId: p.id, query: { limit: 10 } }), "not_found");
    await expectAppError(deleteProvider({ actor: other.actor, providerId: p.id }), "not_found");
    await expectAppError(importProviderVersion({ actor: other.actor, providerId: p.id, input: { document: swaggerJson } }), "not_found");
    expect((await listProviders({ actor: other.actor, query: { workspaceId: other.ws.id, limit: 50 } })).data).toEqual([]);

    const { user: member, actor: memberActor } = await createUser();
    await addMembership(ws.id, member.id, "MEMBER");
    await expectAppError(listProviders({ actor: memberActor, query: { workspaceId: ws.id, limit: 50 } }), "forbidden");
    await expectAppError(getProvider({ actor: memberActor, providerId: p.id }), "forbidden");
    await expectAppError(
      createProvider({ actor: memberActor, workspaceId: ws.id, input: { name: "X", document: swaggerJson } }),
      "forbidden",
    );
  });

  it("fixes the global id once set, refuses duplicate names, deletes with an audit entry", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const doc = small({ "/a": { get: { responses: ok } } });
    const p = await createProvider({ actor, workspaceId: ws.id, input: { name: "Thing", document: doc } });
    await expectAppError(createProvider({ actor, workspaceId: ws.id, input: { name: "thing", document: doc } }), "conflict");
    const u = await updateProvider({ actor, providerId: p.id, input: { globalId: "thing.api", title: "The thing" } });
    expect(u).toMatchObject({ globalId: "thing.api", title: "The thing" });
    await expectAppError(updateProvider({ actor, providerId: p.id, input: { globalId: "other" } }), "conflict");
    expect((await listProviders({ actor, query: { workspaceId: ws.id, limit: 50, q: "thing.a" } })).data.map((x) => x.id)).toEqual([p.id]);
    await deleteProvider({ actor, providerId: p.id });
    expect(await db.providerOperation.count({ where: { providerId: p.id } })).toBe(0);
    expect(await db.auditEntry.findFirst({ where: { targetId: p.id, action: "provider.delete" } })).toBeTruthy();
  });

  it("imports GitHub's description with all its operations and pages through them", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const text = fs.readFileSync(
      path.resolve(import.meta.dirname, "../../node_modules/@octokit/openapi/generated/api.github.com.json"),
      "utf8",
    );
    const started = performance.now();
    const watched = await watchEventLoop(() => createProvider({ actor, workspaceId: ws.id, input: { name: "GitHub", document: text } }));
    const p = watched.result;
    const ms = performance.now() - started;
    console.log(
      `GitHub import with storage: ${p.operationCount} operations in ${Math.round(ms)} ms; this thread held at most ${Math.round(watched.busyMs)} ms at a time`,
    );
    const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    const declared = Object.values(JSON.parse(text).paths as Record<string, object>).reduce<number>(
      (n, item) => n + Object.keys(item).filter((k) => methods.includes(k)).length,
      0,
    );
    expect(declared).toBeGreaterThan(1000);
    expect(p.operationCount).toBe(declared);
    expect(await db.providerOperation.count({ where: { providerId: p.id } })).toBe(declared);
    const t0 = performance.now();
    const page = await listOperations({ actor, providerId: p.id, query: { limit: 50, q: "pulls" } });
    console.log(`GitHub operation search: ${page.total} matches in ${Math.round(performance.now() - t0)} ms`);
    expect(page.total).toBeGreaterThan(10);
  }, 120_000);
});
