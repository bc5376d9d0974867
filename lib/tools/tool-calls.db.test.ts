import crypto from "node:crypto";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Tool calls end to end through the lean handler on a real node:http server (matched by the data-plane router
// as the custom server matches it), against a small local API imported as a provider through the real import
// code. The API listens on every interface: 127.0.0.1 is private (refused unless the connector is internal),
// and this machine's own name (which resolves to a private address too) is what the operator allowed.
const HOSTNAME = os.hostname().toLowerCase();
process.env.SWITCHBOARD_OUTBOUND_ALLOW = HOSTNAME;
process.env.SWITCHBOARD_TOOL_TIMEOUT_MS = "1000";

const { db, useTestDb, tablesContaining } = await import("../testing/db");
const { createWorkspace, suffix, tokenActor, userInWorkspace } = await import("../testing/factories");
const { createProvider } = await import("../providers/import-provider");
const { createCredentialIn } = await import("../credentials/create-credential");
const { createVirtualKey } = await import("../virtual-keys/create-key");
const { authMode } = await import("../connectors/auth/registry");
const { matchLeanRoute } = await import("../dataplane/router");
const { refreshSnapshotNow } = await import("../gateway/snapshot");
const { toolCallSink, ToolCallSink } = await import("./record-call");
const calls = await import("../../app/api/admin/connectors/[id]/calls/route");
const summary = await import("../../app/api/admin/connectors/[id]/calls/summary/route");
const { createAdminToken } = await import("../tokens/admin-tokens");

useTestDb();

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const seen: Seen[] = [];
let api: http.Server;
let apiPort = 0;
let plane: http.Server;
let planeUrl = "";
/** Set: GET /echo answers this status (an API refusing the credential). */
let refuseEcho: number | null = null;

const DOC = {
  openapi: "3.0.3",
  info: { title: "Local API", version: "1.0" },
  servers: [{ url: "http://127.0.0.1:1/" }],
  components: {
    securitySchemes: {
      headerKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
      queryKey: { type: "apiKey", in: "query", name: "api_key" },
      cookieKey: { type: "apiKey", in: "cookie", name: "sid" },
      bearer: { type: "http", scheme: "bearer" },
      basic: { type: "http", scheme: "basic" },
    },
  },
  paths: {
    "/accounts/{account}/items/{id}": {
      post: {
        operationId: "createItem",
        parameters: [
          { name: "account", in: "path", required: true, schema: { type: "string" } },
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "tags", in: "query", schema: { type: "array", items: { type: "string" } } },
          { name: "X-Request-Tag", in: "header", schema: { type: "string" } },
          { name: "pref", in: "cookie", schema: { type: "string" } },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["name", "amount"],
                properties: { name: { type: "string" }, amount: { type: "integer", minimum: 1 } },
              },
            },
          },
        },
        responses: { 200: { description: "echo" } },
      },
    },
    "/echo": { get: { operationId: "echo", responses: { 200: { description: "echo" } } } },
    "/fail": { get: { operationId: "fail", responses: { 500: { description: "boom" } } } },
    "/slow": { get: { operationId: "slow", responses: { 200: { description: "never" } } } },
    "/binary": { get: { operationId: "binary", responses: { 200: { description: "png" } } } },
    "/big": { get: { operationId: "big", responses: { 200: { description: "6 MiB" } } } },
    "/redirect-private": { get: { operationId: "redirectPrivate", responses: { 302: { description: "to metadata" } } } },
    "/redirect-other": { get: { operationId: "redirectOther", responses: { 302: { description: "to another host" } } } },
    "/redirect-same": { get: { operationId: "redirectSame", responses: { 302: { description: "to /echo" } } } },
    "/off": { get: { operationId: "switchedOff", responses: { 200: { description: "off" } } } },
  },
};

function echo(req: http.IncomingMessage, body: string) {
  return JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body });
}

beforeAll(async () => {
  api = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const path = (req.url ?? "").split("?")[0];
      if (path === "/echo" && refuseEcho) return res.writeHead(refuseEcho, { "content-type": "application/json" }).end("{}");
      if (path === "/fail") return res.writeHead(500, { "content-type": "application/json" }).end('{"error":"boom"}');
      if (path === "/slow") return; // never answers
      if (path === "/binary")
        return res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));
      if (path === "/big") return res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(6 * 1024 * 1024));
      if (path === "/redirect-private") return res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      if (path === "/redirect-other") return res.writeHead(302, { location: `http://${HOSTNAME}:${apiPort}/echo` }).end();
      if (path === "/redirect-same") return res.writeHead(302, { location: "/echo" }).end();
      res.writeHead(200, { "content-type": "application/json", "set-cookie": "tracker=1", "x-upstream": "yes" }).end(echo(req, body));
    });
  });
  await new Promise<void>((r) => api.listen(0, "0.0.0.0", r));
  apiPort = (api.address() as AddressInfo).port;
  plane = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: `req_${crypto.randomBytes(8).toString("hex")}`, pathname });
  });
  await new Promise<void>((r) => plane.listen(0, "127.0.0.1", r));
  planeUrl = `http://127.0.0.1:${(plane.address() as AddressInfo).port}`;
});
afterAll(async () => {
  api.closeAllConnections();
  await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => plane.close(r))]);
});

/** A workspace with the local API imported as a provider and a workspace key. */
async function setupWorkspace() {
  const ws = await createWorkspace();
  const provider = await createProvider({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `Local ${suffix()}`, document: JSON.stringify(DOC) },
  });
  await db.providerOperation.updateMany({ where: { providerId: provider.id, operationId: "switchedOff" }, data: { enabled: false } });
  const { value } = await createVirtualKey({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `k-${suffix()}`, owner: "", allowedModels: [] },
  });
  await refreshSnapshotNow();
  return { ws, provider, key: value };
}

/** A connector as the connector CRUD stores one: each secret a Credential, its id in authSettings.secretIds. */
async function makeConnector(
  workspaceId: string,
  providerId: string,
  mode: string,
  input: Record<string, string>,
  opts: { baseUrl?: string; internal?: boolean; params?: Record<string, string> } = {},
) {
  const m = authMode(mode)!;
  const parsed = m.input.parse(input) as Record<string, unknown>;
  return db.$transaction(async (tx) => {
    const secretIds: Record<string, string> = {};
    for (const field of m.secretFields) {
      const cred = await createCredentialIn(tx, {
        actor: tokenActor,
        workspaceId,
        input: { name: `conn-${suffix()}-${field}`, kind: "api-key", description: "", value: String(parsed[field]) },
      });
      secretIds[field] = cred.id;
    }
    return tx.connector.create({
      data: {
        workspaceId,
        providerId,
        name: `c-${suffix()}`,
        baseUrl: opts.baseUrl ?? `http://127.0.0.1:${apiPort}`,
        internal: opts.internal ?? true,
        params: opts.params ?? {},
        authMode: mode,
        authSettings: { ...m.settings(parsed as never), secretIds },
      },
    });
  });
}

async function call(key: string, connectorId: string, operationId: string, input?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${planeUrl}/api/v1/tools/${encodeURIComponent(connectorId)}/${encodeURIComponent(operationId)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: input === undefined ? undefined : JSON.stringify(input),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

const lastSeen = () => seen[seen.length - 1];

describe("POST /api/v1/tools/{connectorId}/{operationId}", () => {
  let ctx: Awaited<ReturnType<typeof setupWorkspace>>;
  beforeAll(async () => {
    ctx = await setupWorkspace();
  });

  it.each([
    ["api-key", { in: "header", name: "X-Api-Key", value: "hdr-secret-1" }, (s: Seen) => s.headers["x-api-key"], "hdr-secret-1"],
    [
      "api-key",
      { in: "query", name: "api_key", value: "qry-secret-2" },
      (s: Seen) => new URL(s.url, "http://x").searchParams.get("api_key"),
      "qry-secret-2",
    ],
    ["api-key", { in: "cookie", name: "sid", value: "cke-secret-3" }, (s: Seen) => s.headers.cookie, "sid=cke-secret-3"],
    ["bearer", { value: "brr-secret-4" }, (s: Seen) => s.headers.authorization, "Bearer brr-secret-4"],
    [
      "basic",
      { username: "ann", password: "bsc-secret-5" },
      (s: Seen) => s.headers.authorization,
      `Basic ${Buffer.from("ann:bsc-secret-5").toString("base64")}`,
    ],
    ["app-token", { value: "app-secret-6" }, (s: Seen) => s.headers.authorization, "Bearer app-secret-6"],
  ] as const)("%s %j reaches the API with the credential", async (mode, input, read, expected) => {
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, mode, input);
    const r = await call(ctx.key, c.id, "echo");
    expect(r.status).toBe(200);
    expect(r.json.status).toBe(200);
    expect(read(lastSeen())).toBe(expected);
    // The API echoed the request back, credential included: the caller gets it redacted (Basic's token too).
    const answer = JSON.stringify(r.json);
    expect(answer).not.toContain(Object.values(input).at(-1));
    expect(answer).not.toContain(expected.replace(/^(Bearer |Basic |sid=)/, ""));
    expect(answer).toContain("[redacted]");
  });

  it("puts path, query, header, cookie and body parameters where the operation says, and answers the API's answer", async () => {
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-params-1" }, { params: { account: "acct_fixed" } });
    const r = await call(
      ctx.key,
      c.id,
      "createItem",
      {
        account: "acct_other",
        id: "../../admin",
        tags: ["a", "b c"],
        "X-Request-Tag": "t-1",
        pref: "dark",
        body: { name: "pen", amount: 3 },
      },
      { "x-user-id": "user-42", "x-agent-id": "agent-7" },
    );
    expect(r.status).toBe(200);
    const s = lastSeen();
    expect(s.method).toBe("POST");
    // The connector's own parameter wins; a path parameter cannot climb out of the path.
    expect(s.url).toBe("/accounts/acct_fixed/items/..%2F..%2Fadmin?tags=a&tags=b%20c");
    expect(s.headers["x-request-tag"]).toBe("t-1");
    expect(s.headers.cookie).toBe("pref=dark");
    expect(s.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(s.body)).toEqual({ name: "pen", amount: 3 });
    expect(r.json).toMatchObject({
      status: 200,
      bodyEncoding: "json",
      headers: { "x-upstream": "yes", "content-type": "application/json" },
    });
    expect(r.json.headers["set-cookie"]).toBeUndefined();
    expect(r.json.body).toMatchObject({ method: "POST", url: s.url });
  });

  it("refuses input that fails the schema with 400 and the failing path; nothing reaches the API", async () => {
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-invalid-1" });
    const before = seen.length;
    const r = await call(ctx.key, c.id, "createItem", { account: "a", id: "b", body: { name: "pen", amount: 0 } });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: {
        message: "Invalid input at '/body/amount': must be >= 1.",
        type: "invalid_request_error",
        code: "invalid_input",
        param: "/body/amount",
      },
    });
    const missing = await call(ctx.key, c.id, "createItem", { account: "a", id: "b", body: { amount: 2 } });
    expect(missing.json.error.param).toBe("/body/name");
    const smuggled = await call(ctx.key, c.id, "echo", { base_url: "http://169.254.169.254" });
    expect(smuggled).toMatchObject({ status: 400, json: { error: { param: "/base_url" } } });
    const injected = await call(ctx.key, c.id, "createItem", {
      account: "a",
      id: "b",
      "X-Request-Tag": "x\r\nX-Evil: 1",
      body: { name: "n", amount: 1 },
    });
    expect(injected).toMatchObject({ status: 400, json: { error: { code: "invalid_input", param: "/X-Request-Tag" } } });
    expect(seen.length).toBe(before);
  });

  it("answers an upstream 500 as { status: 500 } (200 from us), binary as base64", async () => {
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-500-1" });
    const r = await call(ctx.key, c.id, "fail");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 500, body: { error: "boom" }, bodyEncoding: "json" });
    const bin = await call(ctx.key, c.id, "binary");
    expect(bin.json).toMatchObject({
      status: 200,
      bodyEncoding: "base64",
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]).toString("base64"),
    });
  });

  it("answers a slow upstream with a clear 504, an oversized answer with 502", async () => {
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-slow-1" });
    const t0 = Date.now();
    const r = await call(ctx.key, c.id, "slow");
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r).toMatchObject({
      status: 504,
      json: {
        error: {
          code: "upstream_timeout",
          type: "timeout_error",
          message: "The API did not answer within 1 s (SWITCHBOARD_TOOL_TIMEOUT_MS).",
        },
      },
    });
    const big = await call(ctx.key, c.id, "big");
    expect(big).toMatchObject({ status: 502, json: { error: { code: "response_too_large" } } });
  });

  it("refuses a private base URL unless the connector is internal or the operator allowed the host", async () => {
    const plain = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-private-1" }, { internal: false });
    const before = seen.length;
    const r = await call(ctx.key, plain.id, "echo");
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe("destination_refused");
    expect(r.json.error.message).toMatch(/private, loopback or metadata address.*SWITCHBOARD_OUTBOUND_ALLOW.*internal/);
    expect(seen.length).toBe(before);
    const allowed = await makeConnector(
      ctx.ws.id,
      ctx.provider.id,
      "bearer",
      { value: "tok-private-2" },
      {
        internal: false,
        baseUrl: `http://${HOSTNAME}:${apiPort}`,
      },
    );
    expect((await call(ctx.key, allowed.id, "echo")).json.status).toBe(200);
  });

  it("follows a redirect on the same host with the credential; refuses one to a private or another host", async () => {
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-redirect-1" });
    const same = await call(ctx.key, c.id, "redirectSame");
    expect(same.json.status).toBe(200);
    expect(lastSeen()).toMatchObject({ url: "/echo", headers: { authorization: "Bearer tok-redirect-1" } });
    const toMetadata = await call(ctx.key, c.id, "redirectPrivate");
    expect(toMetadata).toMatchObject({ status: 502, json: { error: { code: "destination_refused" } } });
    const before = seen.length;
    const other = await call(ctx.key, c.id, "redirectOther");
    expect(other).toMatchObject({ status: 502, json: { error: { code: "destination_refused" } } });
    expect(other.json.error.message).toMatch(/another host/);
    expect(seen.length).toBe(before + 1); // only the redirecting call itself
  });

  it("404s unknown operations, 403s switched-off ones", async () => {
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-ops-1" });
    expect(await call(ctx.key, c.id, "nope")).toMatchObject({ status: 404, json: { error: { code: "operation_not_found" } } });
    const off = await call(ctx.key, c.id, "switchedOff");
    expect(off).toMatchObject({ status: 403, json: { error: { code: "operation_disabled" } } });
    expect(off.json.error.message).toMatch(/switched off/);
  });

  it("refuses bad keys (401) and another workspace's connector (404, like a missing one)", async () => {
    const other = await setupWorkspace();
    const theirs = await makeConnector(other.ws.id, other.provider.id, "bearer", { value: "tok-theirs-1" });
    const before = seen.length;
    const cross = await call(ctx.key, theirs.id, "echo");
    const missing = await call(ctx.key, "c_does_not_exist", "echo");
    expect(cross).toMatchObject({ status: 404, json: { error: { code: "connector_not_found" } } });
    expect(cross.json.error.message.replace(theirs.id, "X")).toBe(missing.json.error.message.replace("c_does_not_exist", "X"));
    expect((await call("sbk_wrong_key_value", theirs.id, "echo")).status).toBe(401);
    expect(seen.length).toBe(before);
    expect((await call(other.key, theirs.id, "echo")).json.status).toBe(200);
  });
});

describe("the activity: GET /api/admin/connectors/{id}/calls", () => {
  it("records each call without secrets or bodies, and lists it to the connector's workspace only", async () => {
    const ctx = await setupWorkspace();
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "api-key", {
      in: "header",
      name: "X-Api-Key",
      value: "canary-activity-secret-77",
    });
    await call(
      ctx.key,
      c.id,
      "createItem",
      { account: "a", id: "item-canary-9", body: { name: "body-canary-8", amount: 2 } },
      {
        "x-user-id": "user-1",
        "x-agent-id": "agent-1",
      },
    );
    await call(ctx.key, c.id, "createItem", { account: "a", id: "b", body: { name: "x", amount: 0 } });
    await call(ctx.key, c.id, "fail");
    await toolCallSink().flush();

    const { token } = await createAdminToken({ actor: tokenActor, input: { name: `calls-${suffix()}` } });
    const get = (route: typeof calls, url: string, bearer = token) =>
      route.GET(new Request(`http://localhost${url}`, { headers: { authorization: `Bearer ${bearer}` } }), {
        params: Promise.resolve({ id: c.id }),
      });
    const res = await get(calls, `/api/admin/connectors/${c.id}/calls?limit=2`);
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page.data).toEqual([
      expect.objectContaining({
        operationId: "fail",
        method: "GET",
        path: "/fail",
        status: 500,
        outcome: "upstream_error",
        errorCode: null,
      }),
      expect.objectContaining({ operationId: "createItem", status: null, outcome: "invalid_input", errorCode: "invalid_input" }),
    ]);
    expect(page.nextCursor).toBe(page.data[1].id);
    const rest = await (await get(calls, `/api/admin/connectors/${c.id}/calls?cursor=${page.nextCursor}`)).json();
    expect(rest).toEqual({
      data: [
        {
          id: expect.any(String),
          operationId: "createItem",
          method: "POST",
          path: "/accounts/{account}/items/{id}",
          status: 200,
          outcome: "ok",
          errorCode: null,
          latencyMs: expect.any(Number),
          endUserId: "user-1",
          agent: "agent-1",
          keyId: expect.any(String),
          createdAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    const filtered = await (await get(calls, `/api/admin/connectors/${c.id}/calls?status=5xx`)).json();
    expect(filtered.data.map((d: { operationId: string }) => d.operationId)).toEqual(["fail"]);
    const byOp = await (await get(calls, `/api/admin/connectors/${c.id}/calls?operationId=createItem`)).json();
    expect(byOp.data).toHaveLength(2);
    const chart = await (await get(summary as unknown as typeof calls, `/api/admin/connectors/${c.id}/calls/summary?hours=2`)).json();
    expect(chart).toMatchObject({ calls: 3, errors: 2, hours: [{ calls: 3, errors: 2 }] });

    // Neither the secret nor anything the caller sent is stored anywhere but the encrypted credential.
    for (const canary of ["canary-activity-secret-77", "item-canary-9", "body-canary-8"])
      expect(await tablesContaining(canary)).toEqual({});

    // A Builder of another workspace cannot see it: not found, like a missing connector.
    const stranger = await userInWorkspace("BUILDER");
    const { listConnectorCalls } = await import("../connectors/list-calls");
    await expect(listConnectorCalls({ actor: stranger.actor, connectorId: c.id, query: { limit: 10 } })).rejects.toMatchObject({
      code: "not_found",
    });
    const member = await userInWorkspace("MEMBER", ctx.ws.id);
    await expect(listConnectorCalls({ actor: member.actor, connectorId: c.id, query: { limit: 10 } })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("the connector's status from its calls", () => {
  const statusOf = async (id: string) =>
    db.connector.findUniqueOrThrow({ where: { id }, select: { status: true, statusReason: true, statusAt: true } });

  it("a 401 or 403 on a static credential marks it needs_reauth, a 2xx active again, a 500 changes nothing", async () => {
    const ctx = await setupWorkspace();
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-status-1234" });
    expect(await statusOf(c.id)).toMatchObject({ status: "untested", statusAt: null });
    try {
      refuseEcho = 401;
      expect((await call(ctx.key, c.id, "echo")).json).toMatchObject({ status: 401 });
      await toolCallSink().flush();
      const refused = await statusOf(c.id);
      expect(refused).toMatchObject({ status: "needs_reauth", statusReason: "The API refused the credentials (401) on echo" });
      expect(refused.statusAt).toBeInstanceOf(Date);

      refuseEcho = 403;
      await call(ctx.key, c.id, "echo");
      await toolCallSink().flush();
      expect(await statusOf(c.id)).toMatchObject({ status: "needs_reauth", statusReason: refused.statusReason });

      refuseEcho = null;
      expect((await call(ctx.key, c.id, "echo")).json).toMatchObject({ status: 200 });
      await toolCallSink().flush();
      expect(await statusOf(c.id)).toMatchObject({ status: "active", statusReason: "HTTP 200 on echo" });

      expect((await call(ctx.key, c.id, "fail")).json).toMatchObject({ status: 500 });
      await toolCallSink().flush();
      expect(await statusOf(c.id)).toMatchObject({ status: "active" });
    } finally {
      refuseEcho = null;
    }
  });

  it("writes nothing when a call agrees with the status it read, once per connector and batch when it does not", async () => {
    const writes: unknown[] = [];
    const sink = new ToolCallSink(
      async () => {},
      async (change) => writes.push(change),
    );
    const event = (status: number, connectorStatus: string, authMode = "api-key", connectorId = "c1") => ({
      at: new Date(),
      workspaceId: "w1",
      connectorId,
      keyId: null,
      endUserId: null,
      agent: null,
      operationId: "op",
      method: "GET",
      path: "/x",
      status,
      outcome: status < 400 ? ("ok" as const) : ("upstream_error" as const),
      errorCode: null,
      latencyMs: 3,
      connectorStatus,
      authMode,
    });
    for (let i = 0; i < 50; i++) sink.record(event(200, "active"));
    sink.record(event(500, "active"));
    sink.record(event(401, "needs_reauth"));
    // An OAuth mode refreshes its own token: a refusal is not this rule's to judge.
    sink.record(event(401, "active", "oauth-user"));
    await sink.flush();
    expect(writes).toEqual([]);

    // A refusal then a success again (the status read was active all along): nothing to change.
    sink.record(event(401, "active"));
    sink.record(event(200, "active"));
    await sink.flush();
    expect(writes).toEqual([]);

    for (let i = 0; i < 20; i++) sink.record(event(403, "active"));
    sink.record(event(200, "untested", "bearer", "c2"));
    await sink.flush();
    expect(writes).toEqual([
      expect.objectContaining({ connectorId: "c1", status: "needs_reauth", reason: "The API refused the credentials (403) on op" }),
      expect.objectContaining({ connectorId: "c2", status: "active" }),
    ]);
  });
});

describe("versions and bindings", () => {
  it("a pinned connector calls its version's operation; one following the latest calls the current one", async () => {
    const ctx = await setupWorkspace();
    const v1 = (await db.provider.findUniqueOrThrow({ where: { id: ctx.provider.id } })).currentVersionId!;
    const moved = structuredClone(DOC) as unknown as { paths: Record<string, unknown> };
    moved.paths["/redirect-same"] = { get: { operationId: "echo", responses: { 200: { description: "echo, moved" } } } };
    delete moved.paths["/echo"];
    const { importProviderVersion } = await import("../providers/import-provider");
    await importProviderVersion({ actor: tokenActor, providerId: ctx.provider.id, input: { document: JSON.stringify(moved) } });
    const latest = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-latest-1" });
    const pinned = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-pinned-1" });
    await db.connector.update({ where: { id: pinned.id }, data: { pinnedVersionId: v1 } });

    await call(ctx.key, pinned.id, "echo");
    expect(seen.at(-1)!.url).toBe("/echo");
    await call(ctx.key, latest.id, "echo");
    // The current version's "echo" is GET /redirect-same (which redirects to /echo on the same host).
    expect(seen.at(-2)!.url).toBe("/redirect-same");
    // Switching an operation off on the provider also switches it off for connectors pinned to older versions.
    await db.providerOperation.updateMany({ where: { providerId: ctx.provider.id, operationId: "fail" }, data: { enabled: false } });
    expect((await call(ctx.key, pinned.id, "fail")).status).toBe(403);
  });

  it("answers through the route handler `next dev` uses (app/api/v1/[...path])", async () => {
    const ctx = await setupWorkspace();
    const c = await makeConnector(ctx.ws.id, ctx.provider.id, "bearer", { value: "tok-dev-1" });
    const route = await import("../../app/api/v1/[...path]/route");
    const res = await route.POST(
      new Request(`http://localhost/api/v1/tools/${c.id}/echo`, {
        method: "POST",
        headers: { authorization: `Bearer ${ctx.key}`, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await res.json()).toMatchObject({ status: 200, bodyEncoding: "json", body: { url: "/echo" } });
    expect(seen.at(-1)!.headers.authorization).toBe("Bearer tok-dev-1");
  });
});
