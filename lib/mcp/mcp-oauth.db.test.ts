import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// MCP servers with OAuth, end to end against a real OAuth-protected MCP server started here (the SDK's McpServer
// behind oidc-provider: 401 with resource metadata, dynamic registration, PKCE, audience-bound tokens, rotating
// refresh tokens). The Admin's browser at the authorization server is played over HTTP (dev login and consent).
// The authorization server listens on another port than the MCP server: `internal` vouches for the MCP server's
// origin only, so the authorization server is reached as a deployment reaches one inside its network, allow-listed.
process.env.SWITCHBOARD_OUTBOUND_ALLOW = "127.0.0.1";
process.env.SWITCHBOARD_PUBLIC_URL = "https://switchboard.example.test";
// Every log line is written (and captured below) to show no token or client secret is ever logged.
process.env.LOG_LEVEL = "debug";
const CALLBACK = "https://switchboard.example.test/api/oauth/callback";

const { db, useTestDb, tablesContaining } = await import("../testing/db");
const { createWorkspace, suffix, tokenActor } = await import("../testing/factories");
const { signInAndConsent } = await import("../testing/oauth-server");
const { startOAuthMcpServer, MCP_SCOPES } = await import("../testing/mcp-oauth-server");
const { createAdminToken } = await import("../tokens/admin-tokens");
const { createVirtualKey } = await import("../virtual-keys/create-key");
const { refreshSnapshotNow } = await import("../gateway/snapshot");
const { matchLeanRoute } = await import("../dataplane/router");
const { mcpAccessToken, refreshUnderLock } = await import("./oauth-token");
const { openToken, sealToken } = await import("../oauth/token-seal");
const { callMcpTool } = await import("./call-tool");
const { applyConfig } = await import("../config/apply-config");
const { exportConfig } = await import("../config/export-config");
const collection = await import("../../app/api/admin/mcp-servers/route");
const byId = await import("../../app/api/admin/mcp-servers/[id]/route");
const tools = await import("../../app/api/admin/mcp-servers/[id]/tools/route");
const refresh = await import("../../app/api/admin/mcp-servers/[id]/refresh/route");
const authorize = await import("../../app/api/admin/mcp-servers/[id]/oauth/authorize/route");
const oauthRoute = await import("../../app/api/admin/mcp-servers/[id]/oauth/route");
const callbackRoute = await import("../../app/api/oauth/callback/route");
const { setStdioPolicyForTests } = await import("./stdio");
const { liveSession, resetMcpWatcherForTests, stopMcpWatcher, syncMcpWatcher, watchedSessions } = await import("./watcher");
const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");

useTestDb();

let mcp: Awaited<ReturnType<typeof startOAuthMcpServer>>;
let adminToken = "";
let plane: http.Server;
let planeUrl = "";
// Everything written to stdout and stderr (the logs), to show no token or client secret is ever logged.
const logged: string[] = [];
const restore: (() => void)[] = [];

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (write as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
  mcp = await startOAuthMcpServer();
  // The data plane through the lean router, as the custom server serves it.
  plane = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: `req_${suffix()}`, pathname });
  });
  await new Promise<void>((r) => plane.listen(0, "127.0.0.1", r));
  planeUrl = `http://127.0.0.1:${(plane.address() as AddressInfo).port}`;
  adminToken = (await createAdminToken({ actor: tokenActor, input: { name: `mcp-oauth-${suffix()}` } })).token;
}, 60_000);
afterAll(async () => {
  for (const r of restore) r();
  await mcp?.close();
  await new Promise((r) => plane?.close(r));
});

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;
const call = (handler: Handler, url: string, init: RequestInit = {}, params: Record<string, string> = {}) =>
  handler(
    new Request(`http://localhost${url}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    }),
    { params: Promise.resolve(params) },
  );

async function registerOAuthServer(extra: Record<string, unknown> = {}) {
  const ws = await createWorkspace();
  const res = await call(collection.POST, `/api/admin/mcp-servers?workspaceId=${ws.id}`, {
    method: "POST",
    body: JSON.stringify({ name: `notes-${suffix()}`, url: mcp.url, internal: true, auth: { type: "oauth", ...extra } }),
  });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { ws, server: body };
}

/** The Admin presses Connect: the authorize URL, the authorization server's login and consent, the callback. */
async function connect(serverId: string) {
  const res = await call(authorize.POST, `/api/admin/mcp-servers/${serverId}/oauth/authorize`, { method: "POST" }, { id: serverId });
  const started = await res.json();
  expect(res.status, JSON.stringify(started)).toBe(200);
  const callbackUrl = await signInAndConsent(started.url, { login: "admin@example.test", stopAt: CALLBACK });
  const back = await callbackRoute.GET(new Request(callbackUrl.href));
  return { authorizeUrl: new URL(started.url), callbackUrl, back };
}

const getServer = async (id: string) => {
  const res = await call(byId.GET, `/api/admin/mcp-servers/${id}`, {}, { id });
  return { status: res.status, text: await res.text() };
};
const connection = (serverId: string) =>
  db.mcpOAuthConnection.findFirstOrThrow({
    where: { serverId },
    select: { id: true, workspaceId: true, status: true, accessToken: true, refreshToken: true, expiresAt: true, clientId: true },
  });
/** POST /api/v1/mcp/{serverId}/tools/{name} with a workspace key. */
async function planeCall(workspaceId: string, serverId: string, tool: string, args: unknown) {
  const key = (await createVirtualKey({ actor: tokenActor, workspaceId, input: { name: `k-${suffix()}`, owner: "", allowedModels: [] } }))
    .value;
  await refreshSnapshotNow();
  const res = await fetch(`${planeUrl}/api/v1/mcp/${serverId}/tools/${tool}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(args),
  });
  return { key, status: res.status, json: (await res.json()) as Record<string, any> };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const plainTokens = async (serverId: string) => {
  const c = await connection(serverId);
  return {
    access: openToken(c.workspaceId, c.id, "accessToken", c.accessToken!, "McpOAuthConnection"),
    refresh: openToken(c.workspaceId, c.id, "refreshToken", c.refreshToken!, "McpOAuthConnection"),
  };
};

describe("MCP servers with OAuth", () => {
  it("discovers, registers dynamically, authorizes with PKCE and the resource, then discovers and calls tools with the bearer", async () => {
    const { ws, server } = await registerOAuthServer();
    // Not connected yet: nothing was tried, and the answer says what to do.
    expect(server.authType).toBe("oauth");
    expect(server.oauth).toMatchObject({ status: "not_connected", connected: false, needsReauth: false, clientSource: null });
    expect(server.toolCount).toBe(0);
    const blocked = await call(refresh.POST, `/api/admin/mcp-servers/${server.id}/refresh`, { method: "POST" }, { id: server.id });
    const blockedBody = await blocked.json();
    expect(blockedBody.status).toBe("failing");
    expect(blockedBody.lastError).toContain("Connect");

    const registrationsBefore = mcp.registrations();
    const { authorizeUrl, back } = await connect(server.id);
    // Dynamic registration happened once; the authorize request carries PKCE S256, the resource and our redirect URI.
    expect(mcp.registrations()).toBe(registrationsBefore + 1);
    expect(authorizeUrl.origin).toBe(mcp.issuer);
    expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizeUrl.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorizeUrl.searchParams.get("resource")).toBe(mcp.url);
    expect(authorizeUrl.searchParams.get("redirect_uri")).toBe(CALLBACK);
    expect(authorizeUrl.searchParams.get("scope")?.split(" ").sort()).toEqual([...MCP_SCOPES].sort());
    // The callback went back to the server's page, connected; the code exchange sent the resource too.
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe(`/w/${ws.slug}/providers/mcp/${server.id}?oauth=connected`);
    const exchange = mcp.tokenParams.findLast((p) => p.get("grant_type") === "authorization_code")!;
    expect(exchange.get("resource")).toBe(mcp.url);

    // Tools were discovered with the bearer right after the callback.
    const listed = await call(tools.GET, `/api/admin/mcp-servers/${server.id}/tools`, {}, { id: server.id });
    const names = ((await listed.json()).data as { name: string }[]).map((t) => t.name).sort();
    expect(names).toEqual(["add_note", "whoami"]);
    const { text } = await getServer(server.id);
    const dto = JSON.parse(text);
    expect(dto).toMatchObject({
      status: "active",
      serverName: "notes-mcp",
      serverVersion: "2.1.0",
      oauth: { status: "active", connected: true, needsReauth: false, clientSource: "dynamic", authorizationServer: mcp.issuer },
    });
    expect(dto.oauth.scopes).toEqual(expect.arrayContaining(["mcp:tools"]));
    expect(Date.parse(dto.oauth.expiresAt)).toBeGreaterThan(Date.now());

    // A tool call acts as the account that consented.
    const result = await callMcpTool({ workspaceId: ws.id, serverId: server.id, tool: "whoami", args: {} });
    expect(result.content).toEqual([{ type: "text", text: "admin@example.test" }]);

    // Through the data plane with a workspace key: the server gets Switchboard's bearer, never the caller's key.
    const viaPlane = await planeCall(ws.id, server.id, "add_note", { text: "from the plane" });
    expect(viaPlane.status, JSON.stringify(viaPlane.json)).toBe(200);
    expect(viaPlane.json.content).toEqual([{ type: "text", text: "saved: from the plane" }]);
    expect(mcp.accepted).not.toContain(viaPlane.key);

    // The tokens are sealed in their row and never answered.
    const { access, refresh: rt } = await plainTokens(server.id);
    expect(mcp.accepted).toContain(access);
    expect(text).not.toContain(access);
    expect(text).not.toContain(rt);
    expect(await tablesContaining(access)).toEqual({});
    expect(await tablesContaining(rt)).toEqual({});
    const dyn = await db.mcpOAuthConnection.findFirstOrThrow({ where: { serverId: server.id }, select: { id: true, clientSecret: true } });
    const clientSecret = openToken(ws.id, dyn.id, "clientSecret", dyn.clientSecret!, "McpOAuthConnection");
    expect(await tablesContaining(clientSecret)).toEqual({});
    expect(logged.join("")).toContain("mcp: discovery failed"); // the capture sees the logs
    for (const secret of [access, rt, clientSecret]) expect(logged.join("")).not.toContain(secret);
    const audit = await db.auditEntry.findMany({ where: { targetId: server.id }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["mcp_server.oauth.authorize", "mcp_server.oauth.connect"]));

    // The state was single use: the same answer again is refused and changes nothing.
    const again = await callbackRoute.GET(new Request(`${CALLBACK}?state=whatever-unknown&code=x`));
    expect(again.headers.get("location")).toBe("/connect/result?status=invalid_state");
  }, 60_000);

  it("refreshes an expired access token once under concurrency, and a refused token once", async () => {
    const { ws, server } = await registerOAuthServer();
    await connect(server.id);
    const before = await plainTokens(server.id);
    const c = await connection(server.id);
    // The access token is due (as if it expired): concurrent callers in this process and another share one refresh.
    await db.mcpOAuthConnection.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refreshes = mcp.refreshes();
    const [note, ...got] = await Promise.all([
      callMcpTool({ workspaceId: ws.id, serverId: server.id, tool: "add_note", args: { text: "hi" } }),
      ...Array.from({ length: 50 }, () => mcpAccessToken(server.id)),
      // As another process would: no shared promise, only the row lock.
      refreshUnderLock(c.id),
      refreshUnderLock(c.id),
    ]);
    expect(mcp.refreshes()).toBe(refreshes + 1);
    const after = await plainTokens(server.id);
    expect(after.access).not.toBe(before.access);
    expect(after.refresh).not.toBe(before.refresh);
    expect(new Set(got)).toEqual(new Set([after.access]));
    expect(note).toMatchObject({ content: [{ type: "text", text: "saved: hi" }], isError: false });
    // The grant was not revoked by a second use of the rotated refresh token.
    expect(await mcp.provider.RefreshToken.find(after.refresh)).toBeTruthy();
    expect(Date.parse((await connection(server.id)).expiresAt!.toISOString())).toBeGreaterThan(Date.now());

    // The server refuses a token it no longer knows (revoked at the authorization server): refreshed once, call succeeds.
    await (await mcp.provider.AccessToken.find(after.access))!.destroy();
    const r2 = mcp.refreshes();
    const ok = await callMcpTool({ workspaceId: ws.id, serverId: server.id, tool: "whoami", args: {} });
    expect(ok.isError).toBe(false);
    expect(mcp.refreshes()).toBe(r2 + 1);
    const latest = await plainTokens(server.id);
    for (const secret of [before.access, before.refresh, after.access, after.refresh, latest.access, latest.refresh])
      expect(logged.join("")).not.toContain(secret);
  }, 60_000);

  it("keeps the old token and backs off when the token endpoint fails", async () => {
    const { ws, server } = await registerOAuthServer();
    await connect(server.id);
    const before = await plainTokens(server.id);
    const c = await connection(server.id);
    // Due for refresh (within the margin before expiry) but still valid.
    await db.mcpOAuthConnection.update({
      where: { id: c.id },
      data: { tokenIssuedAt: new Date(Date.now() - 3_590_000), expiresAt: new Date(Date.now() + 10_000) },
    });
    mcp.setTokenEndpointDown(true);
    try {
      const refreshes = mcp.refreshes();
      expect(await mcpAccessToken(server.id)).toBe(before.access);
      const ok = await callMcpTool({ workspaceId: ws.id, serverId: server.id, tool: "whoami", args: {} });
      expect(ok.isError).toBe(false);
      expect(mcp.refreshes()).toBe(refreshes);
      const row = await db.mcpOAuthConnection.findFirstOrThrow({
        where: { id: c.id },
        select: { status: true, refreshFailures: true, retryAfter: true, lastError: true },
      });
      // One attempt, then the backoff holds further ones; the connection stays usable.
      expect(row).toMatchObject({ status: "active", refreshFailures: 1 });
      expect(row.retryAfter!.getTime()).toBeGreaterThan(Date.now());
      expect(row.lastError).toContain("server_error");
    } finally {
      mcp.setTokenEndpointDown(false);
    }
  }, 60_000);

  it("refuses hostile metadata before using it: a private authorization server, a javascript: or http: endpoint", async () => {
    // A protected resource whose metadata names what the test says.
    let prm: Record<string, unknown> = {};
    let asMeta: Record<string, unknown> = {};
    const hostile = http.createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path.startsWith("/.well-known/oauth-protected-resource"))
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(prm));
      if (path.startsWith("/.well-known/oauth-authorization-server") || path.startsWith("/.well-known/openid-configuration"))
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(asMeta));
      res
        .writeHead(401, {
          "www-authenticate": `Bearer resource_metadata="http://127.0.0.1:${(hostile.address() as AddressInfo).port}/.well-known/oauth-protected-resource/mcp"`,
        })
        .end();
    });
    await new Promise<void>((r) => hostile.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    try {
      const ws = await createWorkspace();
      const internal = await call(collection.POST, `/api/admin/mcp-servers?workspaceId=${ws.id}`, {
        method: "POST",
        body: JSON.stringify({
          name: `hostile-int-${suffix()}`,
          url: `${base}/mcp`,
          internal: true,
          auth: { type: "oauth", clientId: "registered-by-hand" },
        }),
      });
      const server = await internal.json();
      // The same server as a public one (the test's allow-list lets it reach loopback).
      const pub = await call(collection.POST, `/api/admin/mcp-servers?workspaceId=${ws.id}`, {
        method: "POST",
        body: JSON.stringify({
          name: `hostile-pub-${suffix()}`,
          url: `${base}/mcp`,
          auth: { type: "oauth", clientId: "registered-by-hand" },
        }),
      });
      const publicServer = await pub.json();
      expect(pub.status, JSON.stringify(publicServer)).toBe(201);
      const start = async (id = server.id as string) => {
        const r = await call(authorize.POST, `/api/admin/mcp-servers/${id}/oauth/authorize`, { method: "POST" }, { id });
        return { status: r.status, body: await r.json() };
      };
      const goodMeta = {
        issuer: base,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
      };
      prm = { resource: `${base}/mcp`, authorization_servers: ["http://169.254.169.254"] };
      asMeta = goodMeta;
      const metadataIp = await start();
      expect(metadataIp.status).toBe(400);
      expect(metadataIp.body.detail).toContain("could not be discovered");

      prm = { resource: "https://elsewhere.example.com/mcp", authorization_servers: [base] };
      const otherResource = await start();
      expect(otherResource.status).toBe(400);
      expect(otherResource.body.detail).toContain("names another resource");

      prm = { resource: `${base}/mcp`, authorization_servers: [base] };
      asMeta = { ...goodMeta, authorization_endpoint: "javascript:alert(1)" };
      const js = await start();
      expect(js.status).toBe(400);

      asMeta = { ...goodMeta, authorization_endpoint: "http://login.example.com/authorize" };
      // A public server's consent page must be https; an internal server may use http inside the network.
      const plainHttp = await start(publicServer.id);
      expect(plainHttp.status).toBe(400);
      expect(plainHttp.body.detail).toContain("must be an https URL");
      expect(await db.mcpOAuthConnection.count({ where: { serverId: publicServer.id } })).toBe(0);
      expect((await start()).status).toBe(200);
      expect(await db.mcpOAuthConnection.count({ where: { serverId: server.id, stateHash: { not: null } } })).toBe(1);
    } finally {
      hostile.closeAllConnections();
      await new Promise((r) => hostile.close(r));
    }
  }, 60_000);

  it("marks the server needs_reauth when its refresh token is revoked, and Reconnect and Disconnect work", async () => {
    const { ws, server } = await registerOAuthServer();
    await connect(server.id);
    const { refresh: rt } = await plainTokens(server.id);
    await (await mcp.provider.RefreshToken.find(rt))!.destroy();
    const c = await connection(server.id);
    await db.mcpOAuthConnection.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const res = await call(refresh.POST, `/api/admin/mcp-servers/${server.id}/refresh`, { method: "POST" }, { id: server.id });
    const dto = await res.json();
    const attemptsAfterRevoke = mcp.refreshes() + mcp.grantErrors.length;
    expect(mcp.grantErrors).toContain("invalid_grant");
    expect(dto.status).toBe("failing");
    expect(dto.lastError).toContain("Reconnect");
    expect(dto.oauth).toMatchObject({ status: "needs_reauth", needsReauth: true, connected: false });
    expect(dto.oauth.lastError).toContain("invalid_grant");
    await expect(callMcpTool({ workspaceId: ws.id, serverId: server.id, tool: "whoami", args: {} })).rejects.toThrow(/Reconnect/);
    const refused = await planeCall(ws.id, server.id, "whoami", {});
    expect(refused.status).toBe(502);
    expect(refused.json.error).toMatchObject({ code: "mcp_server_not_connected" });
    expect(refused.json.error.message).toContain("Reconnect");
    // No retry loop: a dead grant is not tried again.
    expect(mcp.refreshes() + mcp.grantErrors.length).toBe(attemptsAfterRevoke);

    // Reconnect: the dynamic client is kept (no second registration), the server works again.
    const registrations = mcp.registrations();
    const { back } = await connect(server.id);
    expect(back.headers.get("location")).toContain("?oauth=connected");
    expect(mcp.registrations()).toBe(registrations);
    expect(JSON.parse((await getServer(server.id)).text)).toMatchObject({ status: "active", oauth: { status: "active" } });

    // Disconnect: revoked at the authorization server, the tokens are gone, calls fail with what to do.
    const live = await plainTokens(server.id);
    expect(await mcp.provider.RefreshToken.find(live.refresh)).toBeTruthy();
    const out = await call(oauthRoute.DELETE, `/api/admin/mcp-servers/${server.id}/oauth`, { method: "DELETE" }, { id: server.id });
    expect(out.status).toBe(200);
    expect((await out.json()).oauth).toMatchObject({ status: "not_connected", connected: false });
    expect(await mcp.provider.RefreshToken.find(live.refresh)).toBeUndefined();
    const disconnectAudit = await db.auditEntry.findFirstOrThrow({
      where: { targetId: server.id, action: "mcp_server.oauth.disconnect" },
      select: { changes: true },
    });
    expect(JSON.stringify(disconnectAudit.changes)).toContain("revoked");
    expect(JSON.stringify(disconnectAudit.changes)).not.toContain(live.refresh);
    const row = await connection(server.id);
    expect(row.accessToken).toBeNull();
    expect(row.refreshToken).toBeNull();
    await expect(callMcpTool({ workspaceId: ws.id, serverId: server.id, tool: "whoami", args: {} })).rejects.toThrow(/Connect/);
  }, 60_000);

  it("keeps a live connection on its own authorization server and client while a Reconnect is pending", async () => {
    // The live connection was made with another authorization server (as if the server moved to a new one since):
    // its token endpoint answers a refresh with the old client and refresh token.
    const oldRefreshes: URLSearchParams[] = [];
    const oldAs = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (new URL(req.url ?? "/", "http://x").pathname !== "/token") return res.writeHead(404).end();
        const params = new URLSearchParams(body);
        oldRefreshes.push(params);
        if (params.get("refresh_token") !== "old-refresh" || params.get("client_id") !== "old-client")
          return res.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid_grant"}');
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ access_token: "old-as-access-2", refresh_token: "old-refresh", token_type: "Bearer", expires_in: 3600 }));
      });
    });
    await new Promise<void>((r) => oldAs.listen(0, "127.0.0.1", r));
    const oldBase = `http://127.0.0.1:${(oldAs.address() as AddressInfo).port}`;
    try {
      const { server } = await registerOAuthServer();
      await connect(server.id);
      const c = await connection(server.id);
      const oldMetadata = {
        issuer: oldBase,
        authorization_endpoint: `${oldBase}/authorize`,
        token_endpoint: `${oldBase}/token`,
        response_types_supported: ["code"],
        token_endpoint_auth_methods_supported: ["none"],
      };
      await db.mcpOAuthConnection.update({
        where: { id: c.id },
        data: {
          authServerUrl: oldBase,
          authServerMetadata: oldMetadata,
          clientSource: "dynamic",
          clientId: "old-client",
          clientSecret: null,
          refreshToken: sealToken(c.workspaceId, c.id, "refreshToken", "old-refresh", "McpOAuthConnection"),
          expiresAt: new Date(Date.now() - 1000),
        },
      });

      // Reconnect is pressed: discovery finds the current authorization server and registers a client there.
      const registrations = mcp.registrations();
      const grantErrors = mcp.grantErrors.length;
      const res = await call(authorize.POST, `/api/admin/mcp-servers/${server.id}/oauth/authorize`, { method: "POST" }, { id: server.id });
      const started = await res.json();
      expect(res.status, JSON.stringify(started)).toBe(200);
      expect(mcp.registrations()).toBe(registrations + 1);
      // Meanwhile the live connection refreshes with its own token endpoint and client, and stays active.
      expect(await mcpAccessToken(server.id)).toBe("old-as-access-2");
      expect(oldRefreshes.map((p) => p.get("client_id"))).toEqual(["old-client"]);
      expect(mcp.grantErrors).toHaveLength(grantErrors);
      const during = await db.mcpOAuthConnection.findFirstOrThrow({
        where: { id: c.id },
        select: { status: true, authServerUrl: true, clientId: true, pendingAuthServerUrl: true },
      });
      expect(during).toMatchObject({ status: "active", authServerUrl: oldBase, clientId: "old-client", pendingAuthServerUrl: mcp.issuer });
      expect(JSON.parse((await getServer(server.id)).text).oauth).toMatchObject({ authorizationServer: oldBase });

      // The callback: the new authorization server and client become the connection's, with the new tokens.
      const callbackUrl = await signInAndConsent(started.url, { login: "admin@example.test", stopAt: CALLBACK });
      const back = await callbackRoute.GET(new Request(callbackUrl.href));
      expect(back.headers.get("location")).toContain("?oauth=connected");
      const after = await db.mcpOAuthConnection.findFirstOrThrow({
        where: { id: c.id },
        select: { status: true, authServerUrl: true, clientId: true, pendingAuthServerUrl: true, pendingClientId: true },
      });
      expect(after).toMatchObject({ status: "active", authServerUrl: mcp.issuer, pendingAuthServerUrl: null, pendingClientId: null });
      expect(after.clientId).not.toBe("old-client");
      await db.mcpOAuthConnection.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const refreshes = mcp.refreshes();
      await mcpAccessToken(server.id);
      expect(mcp.refreshes()).toBe(refreshes + 1);
      expect(oldRefreshes).toHaveLength(1);
    } finally {
      oldAs.closeAllConnections();
      await new Promise((r) => oldAs.close(r));
    }
  }, 60_000);

  it("uses a configured client, validates the auth settings, and round-trips them through the configuration file", async () => {
    const ws = await createWorkspace();
    // A client secret without a client id, headers with no authentication, an Authorization header with OAuth.
    for (const [auth, headers, path] of [
      [{ type: "oauth", clientSecret: "s" }, [], "auth.clientSecret"],
      [{ type: "none" }, [{ name: "X-Key", value: "v" }], "headers"],
      [{ type: "oauth" }, [{ name: "Authorization", value: "Bearer x" }], "headers"],
      [{ type: "headers", clientId: "c" }, [{ name: "X-Key", value: "v" }], "auth.clientId"],
    ] as const) {
      const res = await call(collection.POST, `/api/admin/mcp-servers?workspaceId=${ws.id}`, {
        method: "POST",
        body: JSON.stringify({ name: `bad-${suffix()}`, url: mcp.url, internal: true, auth, headers }),
      });
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(body.errors[0].path).toBe(path);
    }
    expect(await db.mcpServer.count({ where: { workspaceId: ws.id } })).toBe(0);

    // A client registered by hand with the authorization server: no dynamic registration, its secret a credential.
    const reg = (await fetch(`${mcp.issuer}/reg`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        redirect_uris: [CALLBACK],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      }),
    }).then((r) => r.json())) as { client_id: string; client_secret: string };
    expect(reg.client_secret).toBeTruthy();
    const { server } = await registerOAuthServer({
      clientId: reg.client_id,
      clientSecret: reg.client_secret,
      scopes: ["mcp:tools", "offline_access"],
    });
    expect(server.oauth).toMatchObject({ clientSource: "configured", clientId: reg.client_id, hasClientSecret: true });
    expect(JSON.stringify(server)).not.toContain(reg.client_secret);
    const registrations = mcp.registrations();
    const { authorizeUrl, back } = await connect(server.id);
    expect(mcp.registrations()).toBe(registrations);
    expect(authorizeUrl.searchParams.get("client_id")).toBe(reg.client_id);
    expect(back.headers.get("location")).toContain("?oauth=connected");
    expect(await tablesContaining(reg.client_secret)).toEqual({});
    // A refresh authenticates with the configured client's secret (opened outside the row lock).
    const conn = await connection(server.id);
    await db.mcpOAuthConnection.update({ where: { id: conn.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refreshes = mcp.refreshes();
    const fresh = await mcpAccessToken(server.id);
    expect(mcp.refreshes()).toBe(refreshes + 1);
    expect(mcp.accepted).not.toContain(fresh);
    await callMcpTool({ workspaceId: server.workspaceId, serverId: server.id, tool: "whoami", args: {} });
    expect(mcp.accepted).toContain(fresh);
    // Other scopes (the same secret kept): the connection was for the old ones, an Admin connects again.
    const edited = await call(
      byId.PATCH,
      `/api/admin/mcp-servers/${server.id}`,
      { method: "PATCH", body: JSON.stringify({ auth: { type: "oauth", clientId: reg.client_id, scopes: ["mcp:tools"] } }) },
      { id: server.id },
    );
    const editedBody = await edited.json();
    expect(edited.status, JSON.stringify(editedBody)).toBe(200);
    expect(editedBody.oauth).toMatchObject({ status: "not_connected", configuredScopes: ["mcp:tools"], hasClientSecret: true });
    expect(await db.mcpOAuthConnection.count({ where: { serverId: server.id } })).toBe(0);

    // The configuration file: auth as written, the secret as a variable; applying it twice changes nothing.
    const wsName = `cfg-${suffix()}`;
    await createWorkspace({ name: wsName });
    const doc = {
      mcpServers: [
        {
          name: "notes",
          workspace: wsName,
          url: mcp.url,
          internal: true,
          auth: { type: "oauth", clientId: reg.client_id, clientSecret: "${env:MCP_OAUTH_SECRET}", scopes: ["mcp:tools"] },
        },
      ],
    };
    const lookupEnv = (n: string) => (n === "MCP_OAUTH_SECRET" ? reg.client_secret : undefined);
    const first = await applyConfig({ actor: { type: "config", source: "test" }, doc, lookupEnv });
    expect(first.changes).toEqual([expect.objectContaining({ section: "mcpServers", action: "create" })]);
    const second = await applyConfig({ actor: { type: "config", source: "test" }, doc, lookupEnv });
    expect(second.changes).toEqual([expect.objectContaining({ section: "mcpServers", action: "unchanged" })]);
    const row = await db.mcpServer.findFirstOrThrow({
      where: { name: "notes", workspace: { name: wsName } },
      select: { authType: true, oauthClientId: true, oauthScopes: true },
    });
    expect(row).toEqual({ authType: "oauth", oauthClientId: reg.client_id, oauthScopes: ["mcp:tools"] });
    const exported = await exportConfig({ actor: tokenActor });
    const mine = (exported.mcpServers as Record<string, unknown>[]).find((s) => s.workspace === wsName);
    expect(mine!.auth).toMatchObject({ type: "oauth", clientId: reg.client_id, scopes: ["mcp:tools"] });
    expect((mine!.auth as { clientSecret: string }).clientSecret).toMatch(/^\$\{env:SWITCHBOARD_SECRET_[A-Z0-9_]+\}$/);
    expect(JSON.stringify(exported)).not.toContain(reg.client_secret);
  }, 60_000);
  it("keeps OAuth to HTTP servers, and sends the bearer on the watcher's live session and the aggregated endpoint", async () => {
    // stdio has no OAuth: refused on auth.type, nothing saved, an OAuth server not switched to stdio silently.
    setStdioPolicyForTests({ enabled: true, commands: [process.execPath] });
    const { ws, server } = await registerOAuthServer();
    try {
      const stdioOAuth = await call(collection.POST, `/api/admin/mcp-servers?workspaceId=${ws.id}`, {
        method: "POST",
        body: JSON.stringify({ name: `local-${suffix()}`, transport: "stdio", command: process.execPath, auth: { type: "oauth" } }),
      });
      const refused = await stdioOAuth.json();
      expect(stdioOAuth.status, JSON.stringify(refused)).toBe(422);
      expect(refused.errors[0]).toMatchObject({ path: "auth.type", message: expect.stringContaining("OAuth is only for HTTP servers") });
      for (const body of [
        { transport: "stdio", command: process.execPath },
        { transport: "stdio", command: process.execPath, auth: { type: "oauth" } },
        { transport: "stdio", command: process.execPath, auth: { type: "headers" } },
      ]) {
        const res = await call(
          byId.PATCH,
          `/api/admin/mcp-servers/${server.id}`,
          { method: "PATCH", body: JSON.stringify(body) },
          { id: server.id },
        );
        const answer = await res.json();
        expect(res.status, JSON.stringify(answer)).toBe(422);
        expect(answer.errors[0].path).toBe("auth.type");
      }
      expect(await db.mcpServer.count({ where: { workspaceId: ws.id } })).toBe(1);
      expect(await db.mcpServer.findFirstOrThrow({ where: { id: server.id }, select: { transport: true, authType: true } })).toEqual({
        transport: "streamable-http",
        authType: "oauth",
      });
    } finally {
      setStdioPolicyForTests(null);
    }

    await connect(server.id);
    // The server announces tool list changes: the watcher keeps a session with it, opened with the bearer.
    expect(JSON.parse((await getServer(server.id)).text)).toMatchObject({ status: "active", watched: true });
    resetMcpWatcherForTests();
    try {
      await syncMcpWatcher();
      await until("the live session", async () => watchedSessions().find((w) => w.id === server.id && w.open));
      const live = liveSession(server.id)!;
      const first = await plainTokens(server.id);
      expect(mcp.accepted).toContain(first.access);
      // The token is revoked at the authorization server: the live session's next request renews it once and goes on.
      await (await mcp.provider.AccessToken.find(first.access))!.destroy();
      // Counted for this connection's client: an earlier test's connection may refresh in the background meanwhile.
      const { clientId } = await connection(server.id);
      const refreshes = mcp.refreshes(clientId!);
      const rejected = mcp.rejected();
      await live.client.ping();
      expect(mcp.rejected()).toBe(rejected + 1);
      expect(mcp.refreshes(clientId!)).toBe(refreshes + 1);
      const renewed = await plainTokens(server.id);
      expect(renewed.access).not.toBe(first.access);
      expect(mcp.accepted[mcp.accepted.length - 1]).toBe(renewed.access);
      await syncMcpWatcher();
      expect(liveSession(server.id)).toBe(live);
      expect(watchedSessions().find((w) => w.id === server.id)?.connects).toBe(1);

      // The aggregated endpoint calls the tool with Switchboard's bearer, never the caller's key.
      const key = (
        await createVirtualKey({ actor: tokenActor, workspaceId: ws.id, input: { name: `k-${suffix()}`, owner: "", allowedModels: [] } })
      ).value;
      await refreshSnapshotNow();
      const client = new Client({ name: "oauth-gateway-test", version: "1" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${planeUrl}/api/v1/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
        }),
      );
      try {
        const whoami = (await client.listTools()).tools.find((t) => t.name.endsWith("__whoami"));
        expect(whoami).toBeTruthy();
        const result = await client.callTool({ name: whoami!.name, arguments: {} });
        expect(result.content).toEqual([{ type: "text", text: "admin@example.test" }]);
        expect(mcp.accepted).not.toContain(key);

        // Disconnected: the live session is closed and not opened again; a call says what an Admin must do.
        const out = await call(oauthRoute.DELETE, `/api/admin/mcp-servers/${server.id}/oauth`, { method: "DELETE" }, { id: server.id });
        expect(out.status).toBe(200);
        expect(watchedSessions().find((w) => w.id === server.id)).toBeUndefined();
        await syncMcpWatcher();
        expect(watchedSessions().find((w) => w.id === server.id)).toBeUndefined();
        const failed = await client.callTool({ name: whoami!.name, arguments: {} });
        expect(failed.isError).toBe(true);
        expect(JSON.stringify(failed.content)).toContain("Connect");
      } finally {
        await client.close();
      }
    } finally {
      await stopMcpWatcher();
      resetMcpWatcherForTests();
    }
  }, 60_000);
});
