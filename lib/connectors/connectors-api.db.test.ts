import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as collection from "../../app/api/admin/connectors/route";
import * as byId from "../../app/api/admin/connectors/[id]/route";
import * as test from "../../app/api/admin/connectors/[id]/test/route";
import * as providerById from "../../app/api/admin/providers/[id]/route";
import type { Actor } from "../auth/actor";
import { createAdminToken } from "../tokens/admin-tokens";
import { createProvider } from "../providers/import-provider";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { db, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { createConnector } from "./create-connector";
import { getConnector } from "./get-connector";
import { listConnectors } from "./list-connectors";
import { updateConnector } from "./update-connector";

// The connector routes as clients call them, and the domain's rules behind them: validation before anything is
// stored, secrets only in credentials, roles and workspaces, and the connection test against a local API.
useTestDb();
beforeAll(() => db.adminToken.count(), 60_000);

const SECRET = `sk-conn-canary-${suffix()}${suffix()}`;

// The local API: GET /me answers by the X-Api-Key header; `mode` turns it into a failing server.
let mode: "ok" | "500" = "ok";
let goodKey = SECRET;
let upstream: http.Server;
let port = 0;
let closedPort = 0;

const documentFor = (apiPort: number) => `openapi: 3.0.3
info: { title: Local, version: "1" }
servers:
  - url: http://127.0.0.1:${apiPort}
  - url: https://{tenant}.example.test/v1
    variables: { tenant: { default: "" } }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Api-Key }
security: [{ key: [] }]
paths:
  /things/{id}:
    get: { operationId: getThing, parameters: [{ name: id, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }
  /me:
    get: { operationId: me, responses: { "200": { description: ok } } }
`;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    if (mode === "500") return res.writeHead(500).end("down");
    if (req.url !== "/me") return res.writeHead(404).end();
    res.writeHead(req.headers["x-api-key"] === goodKey ? 200 : 401, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", () => r()));
  port = (upstream.address() as AddressInfo).port;
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
});
afterAll(() => new Promise((r) => upstream.close(r)));

async function setup() {
  const ws = await createWorkspace();
  const provider = await createProvider({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `Local ${suffix()}`, document: documentFor(port) },
  });
  return { ws, provider };
}

const apiKeyInput = (providerId: string, extra: Record<string, unknown> = {}) => ({
  providerId,
  name: `conn-${suffix()}`,
  description: "",
  customBaseUrl: false,
  pinnedVersionId: "latest",
  params: {},
  public: false,
  internal: true,
  auth: { mode: "api-key", value: SECRET },
  ...extra,
});

describe("/api/admin/connectors", () => {
  let token = "";
  beforeAll(async () => {
    token = (await createAdminToken({ actor: tokenActor, input: { name: `conn-${suffix()}` } })).token;
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

  it("creates a connector with an API key placed as the provider's scheme says, showing only a mask", async () => {
    const { ws, provider } = await setup();
    const res = await call(collection.POST, `/api/admin/connectors?workspaceId=${ws.id}`, {
      method: "POST",
      body: JSON.stringify({ providerId: provider.id, name: "billing-prod", auth: { mode: "api-key", value: SECRET } }),
    });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    expect(text).not.toContain(SECRET);
    const c = JSON.parse(text);
    expect(c).toMatchObject({
      name: "billing-prod",
      provider: { id: provider.id },
      baseUrl: `http://127.0.0.1:${port}`,
      pinnedVersionId: null,
      status: "untested",
      auth: { mode: "api-key", in: "header", name: "X-Api-Key", value: expect.stringMatching(/\.\.\./) },
    });
    const stored = await db.connector.findUniqueOrThrow({ where: { id: c.id } });
    const secretId = (stored.authSettings as { secretIds: Record<string, string> }).secretIds.value;
    const cred = await db.credential.findUniqueOrThrow({ where: { id: secretId }, include: { usages: true } });
    expect(cred).toMatchObject({ workspaceId: ws.id, kind: "connector-secret", name: "connector:billing-prod:value" });
    expect(cred.usages).toEqual([expect.objectContaining({ ownerType: "connector", ownerId: c.id, label: "billing-prod" })]);
    expect(await db.auditEntry.count({ where: { action: "connector.create", targetId: c.id } })).toBe(1);

    const list = await (await call(collection.GET, `/api/admin/connectors?workspaceId=${ws.id}&q=billing&status=untested`)).json();
    expect(list).toMatchObject({ data: [{ id: c.id }], nextCursor: null });
    const none = await (await call(collection.GET, `/api/admin/connectors?workspaceId=${ws.id}&status=active`)).json();
    expect(none.data).toEqual([]);
    const one = await call(byId.GET, `/api/admin/connectors/${c.id}`, {}, { id: c.id });
    expect(await one.text()).not.toContain(SECRET);
    // The secret is stored nowhere in plaintext: not in the connector, the audit log or the credential row.
    expect(await tablesContaining(SECRET)).toEqual({});
  });

  it("answers 422 naming each invalid field and stores nothing", async () => {
    const { ws, provider } = await setup();
    const before = { connectors: await db.connector.count(), credentials: await db.credential.count() };
    const post = (body: Record<string, unknown>) =>
      call(collection.POST, `/api/admin/connectors?workspaceId=${ws.id}`, { method: "POST", body: JSON.stringify(body) });
    const cases: [Record<string, unknown>, string][] = [
      [{ baseUrl: "https://elsewhere.example.test" }, "baseUrl"],
      [{ baseUrl: "ftp://example.test" }, "baseUrl"],
      [{ baseUrl: "https://.example.test/v1" }, "params.tenant"],
      [{ auth: { mode: "api-key", in: "body", value: SECRET } }, "auth.in"],
      [{ auth: { mode: "api-key", value: "" } }, "auth.value"],
      [{ auth: { mode: "telepathy", value: SECRET } }, "auth.mode"],
      [{ auth: { mode: "bearer", value: SECRET, extra: "x" } }, "auth"],
      [{ pinnedVersionId: "not-a-version-of-it" }, "pinnedVersionId"],
    ];
    for (const [extra, path] of cases) {
      const res = await post(apiKeyInput(provider.id, extra));
      expect([400, 422], JSON.stringify(extra)).toContain(res.status);
      const text = await res.text();
      expect(text).not.toContain(SECRET);
      expect(
        JSON.parse(text)
          .errors.map((e: { path: string }) => e.path)
          .join(" "),
        JSON.stringify(extra),
      ).toContain(path);
    }
    // A server with a variable: the params must give it, and the URL is then that server's.
    const ok = await post(apiKeyInput(provider.id, { baseUrl: "https://acme.example.test/v1", params: { tenant: "acme" } }));
    expect(ok.status).toBe(201);
    const noTenant = await post(apiKeyInput(provider.id, { baseUrl: "https://acme.example.test/v1", params: {} }));
    expect(noTenant.status).toBe(422);
    expect(await db.connector.count()).toBe(before.connectors + 1);
    expect(await db.credential.count()).toBe(before.credentials + 1);
    // A provider of another workspace is not usable.
    const other = await setup();
    const foreign = await post(apiKeyInput(other.provider.id));
    expect(foreign.status).toBe(422);
  });

  it("keeps a secret left out of an edit, rotates the same credential when one is given, and audits without it", async () => {
    const { ws, provider } = await setup();
    const c = await createConnector({ actor: tokenActor, workspaceId: ws.id, input: apiKeyInput(provider.id) as never });
    const credId = async () =>
      ((await db.connector.findUniqueOrThrow({ where: { id: c.id } })).authSettings as { secretIds: Record<string, string> }).secretIds
        .value;
    const first = await credId();
    const renamed = await updateConnector({
      actor: tokenActor,
      connectorId: c.id,
      input: { name: `renamed-${suffix()}`, description: "d" },
    });
    expect(renamed.auth).toEqual(c.auth);
    expect(await credId()).toBe(first);
    expect((await db.credential.findUniqueOrThrow({ where: { id: first } })).name).toBe(`connector:${renamed.name}:value`);

    const rotated = `sk-rotated-${suffix()}${suffix()}`;
    const res = await call(
      byId.PATCH,
      `/api/admin/connectors/${c.id}`,
      { method: "PATCH", body: JSON.stringify({ auth: { mode: "api-key", value: rotated } }) },
      { id: c.id },
    );
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(rotated);
    expect(await credId()).toBe(first);
    expect(JSON.parse(text).auth.value).not.toBe(c.auth.value);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "connector.update", targetId: c.id }, orderBy: { at: "desc" } });
    expect(audit.changes).toMatchObject({ "auth.value": { from: "[redacted]", to: "[redacted]" } });

    // Another mode: the api-key credential goes, basic's password becomes a new one.
    const basic = await updateConnector({
      actor: tokenActor,
      connectorId: c.id,
      input: { auth: { mode: "basic", username: "svc", password: rotated } },
    });
    expect(basic.auth).toMatchObject({ mode: "basic", username: "svc" });
    expect(await db.credential.findUnique({ where: { id: first } })).toBeNull();
    expect(await tablesContaining(rotated)).toEqual({});
    expect(await tablesContaining(SECRET)).toEqual({});
  });

  it("lets Builders manage, Admins alone mark internal, Members nothing; hides other workspaces and private connectors", async () => {
    const { ws, provider } = await setup();
    const builder = await userInWorkspace("BUILDER", ws.id);
    const builder2 = await userInWorkspace("BUILDER", ws.id);
    const admin = await userInWorkspace("ADMIN", ws.id);
    const member = await userInWorkspace("MEMBER", ws.id);
    const outsider = await userInWorkspace("ADMIN");
    const input = (actor: Actor, extra: Record<string, unknown> = {}) =>
      createConnector({ actor, workspaceId: ws.id, input: apiKeyInput(provider.id, { internal: false, ...extra }) as never });

    await expectAppError(input(member.actor), "forbidden");
    await expectAppError(listConnectors({ actor: member.actor, query: { workspaceId: ws.id, limit: 50 } }), "forbidden");
    await expectAppError(input(builder.actor, { internal: true }), "forbidden");
    const mine = await input(builder.actor);
    const shared = await input(builder.actor, { public: true });
    await expectAppError(updateConnector({ actor: builder.actor, connectorId: mine.id, input: { internal: true } }), "forbidden");
    await expect(updateConnector({ actor: admin.actor, connectorId: mine.id, input: { internal: true } })).resolves.toMatchObject({
      internal: true,
    });
    // Once internal, its base URL reaches the private network: a Builder may edit the rest, not point it elsewhere.
    await expectAppError(
      updateConnector({
        actor: builder.actor,
        connectorId: mine.id,
        input: { baseUrl: "https://elsewhere.example.com", customBaseUrl: true },
      }),
      "forbidden",
    );
    await expect(
      updateConnector({ actor: builder.actor, connectorId: mine.id, input: { description: "still editable" } }),
    ).resolves.toMatchObject({ description: "still editable" });

    const seen = async (actor: Actor) =>
      (await listConnectors({ actor, query: { workspaceId: ws.id, limit: 50 } })).data.map((c) => c.id).sort();
    expect(await seen(builder2.actor)).toEqual([shared.id]);
    expect(await seen(admin.actor)).toEqual([mine.id, shared.id].sort());
    await expectAppError(getConnector({ actor: builder2.actor, connectorId: mine.id }), "not_found");
    await expectAppError(getConnector({ actor: outsider.actor, connectorId: mine.id }), "not_found");
    await expectAppError(updateConnector({ actor: outsider.actor, connectorId: shared.id, input: { description: "x" } }), "not_found");
    await expectAppError(getConnector({ actor: member.actor, connectorId: shared.id }), "forbidden");
  });

  it("refuses to delete a provider while a connector uses it, then deletes the connector with its credentials", async () => {
    const { ws, provider } = await setup();
    const c = await createConnector({
      actor: tokenActor,
      workspaceId: ws.id,
      input: apiKeyInput(provider.id, { name: "uses-it" }) as never,
    });
    const refused = await call(providerById.DELETE, `/api/admin/providers/${provider.id}`, { method: "DELETE" }, { id: provider.id });
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toContain('"uses-it"');
    const credIds = Object.values(
      ((await db.connector.findUniqueOrThrow({ where: { id: c.id } })).authSettings as { secretIds: Record<string, string> }).secretIds,
    );
    const gone = await call(byId.DELETE, `/api/admin/connectors/${c.id}`, { method: "DELETE" }, { id: c.id });
    expect(gone.status).toBe(204);
    expect(await db.connector.findUnique({ where: { id: c.id } })).toBeNull();
    expect(await db.credential.count({ where: { id: { in: credIds } } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: "connector.delete", targetId: c.id } })).toBe(1);
    expect((await call(byId.GET, `/api/admin/connectors/${c.id}`, {}, { id: c.id })).status).toBe(404);
    expect((await call(providerById.DELETE, `/api/admin/providers/${provider.id}`, { method: "DELETE" }, { id: provider.id })).status).toBe(
      204,
    );
  });

  it("tests the connection against a local API: 200 active, 401 needs_reauth, 500 and a closed port failing, private refused", async () => {
    const { ws, provider } = await setup();
    const c = await createConnector({ actor: tokenActor, workspaceId: ws.id, input: apiKeyInput(provider.id) as never });
    const run = async () => {
      const res = await call(test.POST, `/api/admin/connectors/${c.id}/test`, { method: "POST" }, { id: c.id });
      expect(res.status).toBe(200);
      return res.json();
    };
    mode = "ok";
    goodKey = SECRET;
    expect(await run()).toMatchObject({ status: "active", httpStatus: 200, reason: expect.stringContaining("GET /me") });
    expect(await getConnector({ actor: tokenActor, connectorId: c.id })).toMatchObject({ status: "active", statusAt: expect.any(String) });

    goodKey = "another-key";
    expect(await run()).toMatchObject({
      status: "needs_reauth",
      httpStatus: 401,
      reason: expect.stringContaining("refused the credentials"),
    });

    mode = "500";
    expect(await run()).toMatchObject({ status: "failing", httpStatus: 500 });
    mode = "ok";

    await updateConnector({
      actor: tokenActor,
      connectorId: c.id,
      input: { baseUrl: `http://127.0.0.1:${closedPort}`, customBaseUrl: true },
    });
    expect(await run()).toMatchObject({ status: "failing", httpStatus: null, reason: expect.stringContaining("Connection refused") });

    // Not internal: the loopback address is refused before anything is sent.
    await updateConnector({ actor: tokenActor, connectorId: c.id, input: { baseUrl: `http://127.0.0.1:${port}`, internal: false } });
    const refused = await run();
    expect(refused).toMatchObject({ status: "failing", httpStatus: null, reason: expect.stringContaining("SWITCHBOARD_OUTBOUND_ALLOW") });
    const row = await getConnector({ actor: tokenActor, connectorId: c.id });
    expect(row).toMatchObject({ status: "failing", statusReason: refused.reason });
    expect(await db.auditEntry.count({ where: { action: "connector.test", targetId: c.id } })).toBe(5);
    expect(await tablesContaining(SECRET)).toEqual({});
  });
  it("creates a connector straight from a central repository entry: syncs the provider once, or nothing when the connector is invalid", async () => {
    const ws = await createWorkspace();
    const post = (body: Record<string, unknown>) =>
      call(collection.POST, `/api/admin/connectors?workspaceId=${ws.id}`, { method: "POST", body: JSON.stringify(body) });
    const fields = { name: `ci-${suffix()}`, auth: { mode: "api-key", value: SECRET } };
    const paths = async (res: Response) => (await res.json()).errors.map((e: { path: string }) => e.path);

    // Exactly one of providerId and catalogId.
    const neither = await post(fields);
    expect(neither.status).toBe(422);
    expect(await paths(neither)).toEqual(["providerId"]);
    const both = await post({ ...fields, providerId: "c0000000000000000000000000", catalogId: "circleci" });
    expect(both.status).toBe(422);
    expect(await paths(both)).toEqual(["catalogId"]);
    const unknown = await post({ ...fields, catalogId: "no-such-entry" });
    expect(unknown.status).toBe(404);
    expect(await paths(unknown)).toEqual(["catalogId"]);

    // A connector that fails its checks adds no provider either.
    const invalid = await post({ ...fields, catalogId: "circleci", auth: { mode: "telepathy", value: SECRET } });
    expect(invalid.status).toBe(422);
    expect(await paths(invalid)).toEqual(["auth.mode"]);
    expect(await db.provider.count({ where: { workspaceId: ws.id } })).toBe(0);

    // A provider of the workspace already named like the entry: the synced one gets a free name.
    await createProvider({ actor: tokenActor, workspaceId: ws.id, input: { name: "CircleCI", document: documentFor(port) } });
    const first = await post({ ...fields, catalogId: "circleci" });
    const text = await first.text();
    expect(first.status, text).toBe(201);
    expect(text).not.toContain(SECRET);
    const c = JSON.parse(text);
    expect(c).toMatchObject({ providerAdded: true, provider: { name: "CircleCI (2)" }, globalId: "circleci" });
    expect(c.auth).toMatchObject({ mode: "api-key", value: expect.stringMatching(/\.\.\./) });
    const synced = await db.provider.findFirstOrThrow({ where: { id: c.provider.id } });
    expect(synced).toMatchObject({ workspaceId: ws.id, catalogId: "circleci" });
    expect(await db.providerOperation.count({ where: { providerId: synced.id } })).toBe(22);
    expect(await db.auditEntry.count({ where: { action: "provider.sync", targetId: synced.id } })).toBe(1);

    // The next one reuses the synced provider.
    const second = await post({ ...fields, name: `ci-${suffix()}`, catalogId: "circleci" });
    expect(second.status).toBe(201);
    expect(await second.json()).toMatchObject({ providerAdded: false, provider: { id: synced.id } });
    expect(await db.provider.count({ where: { workspaceId: ws.id, catalogId: "circleci" } })).toBe(1);
    expect(await tablesContaining(SECRET)).toEqual({});
  }, 60_000);
});
