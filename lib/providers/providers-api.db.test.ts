import { beforeAll, describe, expect, it } from "vitest";
import * as collection from "../../app/api/admin/providers/route";
import * as operations from "../../app/api/admin/providers/[id]/operations/route";
import * as versions from "../../app/api/admin/providers/[id]/versions/route";
import * as byId from "../../app/api/admin/providers/[id]/route";
import { createAdminToken } from "../tokens/admin-tokens";
import { createWorkspace, suffix } from "../testing/factories";
import { db, useTestDb } from "../testing/db";

// The admin API's provider routes as clients call them: status codes, problem documents, limits.
useTestDb();
beforeAll(() => db.adminToken.count(), 60_000);

const YAML = `openapi: 3.0.3
info: { title: Tiny, version: "1.0" }
paths:
  /things/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get: { operationId: getThing, tags: [things], responses: { "200": { description: ok } } }
    delete: { tags: [things], responses: { "204": { description: gone } } }
`;

describe("POST/GET /api/admin/providers", () => {
  let token = "";
  let workspaceId = "";
  beforeAll(async () => {
    token = (await createAdminToken({ actor: { type: "token", id: null, name: "t" }, input: { name: `prov-${suffix()}` } })).token;
    workspaceId = (await createWorkspace()).id;
  });
  const call = (
    handler: (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response,
    url: string,
    init: RequestInit = {},
    params: Record<string, string> = {},
  ) =>
    handler(
      new Request(`http://localhost${url}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      }),
      { params: Promise.resolve(params) },
    );

  it("imports a YAML document (201), lists it and pages its operations with tool definitions", async () => {
    const res = await call(collection.POST, `/api/admin/providers?workspaceId=${workspaceId}`, {
      method: "POST",
      body: JSON.stringify({ name: "Tiny", document: YAML }),
    });
    expect(res.status).toBe(201);
    const p = await res.json();
    expect(p).toMatchObject({ name: "Tiny", title: "Tiny", operationCount: 2, currentVersionNumber: 1 });
    const list = await (await call(collection.GET, `/api/admin/providers?workspaceId=${workspaceId}`)).json();
    expect(list).toMatchObject({ data: [{ id: p.id }], nextCursor: null });
    const ops = await (
      await call(operations.GET, `/api/admin/providers/${p.id}/operations?limit=1&method=delete`, {}, { id: p.id })
    ).json();
    expect(ops.data).toEqual([
      expect.objectContaining({
        operationId: "delete_things_id",
        method: "DELETE",
        path: "/things/{id}",
        enabled: true,
        tool: {
          name: "delete_things_id",
          description: "DELETE /things/{id}",
          inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        },
      }),
    ]);
    const vs = await (await call(versions.GET, `/api/admin/providers/${p.id}/versions`, {}, { id: p.id })).json();
    expect(vs.data).toHaveLength(1);
  });

  it("answers problems for invalid, hostile and oversized documents, storing nothing", async () => {
    const before = await db.provider.count();
    const invalid = await call(collection.POST, `/api/admin/providers?workspaceId=${workspaceId}`, {
      method: "POST",
      body: JSON.stringify({ name: "Bad", document: "openapi: 3.0.0\ninfo: {title: x}\npaths: {}\n" }),
    });
    expect(invalid.status).toBe(422);
    const problem = await invalid.json();
    expect(problem.errors).toEqual([expect.objectContaining({ path: "info" })]);
    const meta = await call(collection.POST, `/api/admin/providers?workspaceId=${workspaceId}`, {
      method: "POST",
      body: JSON.stringify({ name: "Meta", url: "http://169.254.169.254/latest/openapi.json" }),
    });
    expect(meta.status).toBe(400);
    const big = await call(collection.POST, `/api/admin/providers?workspaceId=${workspaceId}`, {
      method: "POST",
      body: JSON.stringify({ name: "Big", document: "a".repeat(50 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(await db.provider.count()).toBe(before);
  });
  it("edits servers and auth schemes by hand, naming the exact field of each problem and changing nothing then", async () => {
    const created = await call(collection.POST, `/api/admin/providers?workspaceId=${workspaceId}`, {
      method: "POST",
      body: JSON.stringify({ name: `Bare ${suffix()}`, document: YAML }),
    });
    const p = await created.json();
    expect(p).toMatchObject({ servers: [], authSchemes: [] });
    const patch = (body: unknown) =>
      call(byId.PATCH, `/api/admin/providers/${p.id}`, { method: "PATCH", body: JSON.stringify(body) }, { id: p.id });
    const bad = await patch({
      servers: [
        { url: "https://api.example.test", description: "" },
        { url: "api.example.test", description: "" },
      ],
      authSchemes: [
        { key: "k", type: "apiKey", in: "header" },
        { key: "k", type: "http" },
        { key: "o", type: "oauth2", flows: { authorizationCode: { tokenUrl: "ftp://x", scopes: { "read all": "" } } } },
      ],
    });
    expect(bad.status).toBe(422);
    const problems = Object.fromEntries((await bad.json()).errors.map((e: { path: string; message: string }) => [e.path, e.message]));
    expect(problems).toEqual({
      "servers[1].url": expect.stringContaining("http(s) URL"),
      "authSchemes[0].name": expect.stringContaining("Required"),
      "authSchemes[1].key": "Another scheme has this key",
      "authSchemes[1].scheme": "Required: bearer or basic",
      "authSchemes[2].flows.authorizationCode.authorizationUrl": "Required for this flow",
      "authSchemes[2].flows.authorizationCode.tokenUrl": "Enter an http(s) URL",
      "authSchemes[2].flows.authorizationCode.scopes": expect.stringContaining("no spaces"),
    });
    expect(await db.provider.findUniqueOrThrow({ where: { id: p.id }, select: { servers: true, authSchemes: true } })).toEqual({
      servers: [],
      authSchemes: [],
    });

    const ok = await patch({
      servers: [{ url: "https://api.example.test/v1", description: "Production" }],
      authSchemes: [
        { key: "auth", type: "http", scheme: "bearer" },
        {
          key: "oauth",
          type: "oauth2",
          flows: { authorizationCode: { authorizationUrl: "https://e.test/a", tokenUrl: "https://e.test/t", scopes: { read: "" } } },
        },
      ],
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      servers: [{ url: "https://api.example.test/v1", description: "Production" }],
      authSchemes: [{ key: "auth", type: "http", scheme: "bearer" }, { key: "oauth" }],
    });
    expect(await db.auditEntry.count({ where: { action: "provider.update", targetId: p.id } })).toBe(1);
  });
});
