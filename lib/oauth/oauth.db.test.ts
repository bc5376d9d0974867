import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// OAuth connectors end to end against a real authorization server (oidc-provider on loopback: PKCE required,
// rotating refresh tokens, no clock tolerance) and a small API that accepts only its live tokens. The end user's
// browser is played over HTTP (dev login and consent forms); tool calls go through the lean data-plane handler.
process.env.SWITCHBOARD_OUTBOUND_ALLOW = "127.0.0.1";
process.env.SWITCHBOARD_PUBLIC_URL = "https://switchboard.example.test";
const CALLBACK = "https://switchboard.example.test/api/oauth/callback";

const { db, useTestDb, tablesContaining } = await import("../testing/db");
const { createWorkspace, suffix, tokenActor, userInWorkspace } = await import("../testing/factories");
const { expectAppError } = await import("../testing/errors");
const { startAuthServer, startNotesApi, notesDocument, signInAndConsent, CLIENT_ID, CLIENT_SECRET } =
  await import("../testing/oauth-server");
const { createProvider } = await import("../providers/import-provider");
const { createConnector } = await import("../connectors/create-connector");
const { createVirtualKey } = await import("../virtual-keys/create-key");
const { matchLeanRoute } = await import("../dataplane/router");
const { refreshSnapshotNow } = await import("../gateway/snapshot");
const { createAdminToken } = await import("../tokens/admin-tokens");
const { describeConnectLink, startAuthorization, completeAuthorization } = await import("./authorize");
const { listConnections } = await import("./connections");
const { sealToken, sealVerifier } = await import("./token-seal");
const sessionsRoute = await import("../../app/api/admin/connectors/[id]/connect-sessions/route");
const connectionsRoute = await import("../../app/api/admin/connectors/[id]/connections/route");
const connectionRoute = await import("../../app/api/admin/connectors/[id]/connections/[connectionId]/route");

useTestDb();

let auth: Awaited<ReturnType<typeof startAuthServer>>;
let api: Awaited<ReturnType<typeof startNotesApi>>;
let plane: http.Server;
let planeUrl = "";
let adminToken = "";

beforeAll(async () => {
  auth = await startAuthServer({ redirectUri: CALLBACK });
  api = await startNotesApi(auth);
  plane = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: `req_${crypto.randomBytes(8).toString("hex")}`, pathname });
  });
  await new Promise<void>((r) => plane.listen(0, "127.0.0.1", r));
  planeUrl = `http://127.0.0.1:${(plane.address() as AddressInfo).port}`;
  adminToken = (await createAdminToken({ actor: tokenActor, input: { name: `oauth-${suffix()}` } })).token;
}, 60_000);
afterAll(async () => {
  await Promise.all([auth.close(), api.close(), new Promise((r) => plane.close(r))]);
});

const route = (
  handler: (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response,
  url: string,
  params: Record<string, string>,
  init: RequestInit = {},
) =>
  handler(
    new Request(`http://localhost${url}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", ...init.headers },
    }),
    { params: Promise.resolve(params) },
  );

async function setup(authInput: Record<string, unknown> = {}) {
  const ws = await createWorkspace();
  const provider = await createProvider({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `Notes ${suffix()}`, document: notesDocument(api.url, auth.issuer) },
  });
  const connector = await createConnector({
    actor: tokenActor,
    workspaceId: ws.id,
    input: {
      providerId: provider.id,
      name: `notes-${suffix()}`,
      description: "",
      customBaseUrl: false,
      pinnedVersionId: "latest",
      params: {},
      public: false,
      internal: false,
      auth: {
        mode: "oauth-user",
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        scopes: ["openid", "offline_access", "notes.read"],
        authorizeParams: { prompt: "consent" },
        revocationUrl: `${auth.issuer}/token/revocation`,
        ...authInput,
      },
    },
  });
  const { value: key } = await createVirtualKey({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `k-${suffix()}`, owner: "", allowedModels: [] },
  });
  await refreshSnapshotNow();
  return { ws, provider, connector, key };
}

/** A connect link through the admin API, the consent page's Continue, and the end user at the provider. */
async function connectUser(connectorId: string, endUserId: string, login = endUserId) {
  const res = await route(
    sessionsRoute.POST,
    `/api/admin/connectors/${connectorId}/connect-sessions`,
    { id: connectorId },
    {
      method: "POST",
      body: JSON.stringify({ endUserId }),
    },
  );
  const session = (await res.json()) as { url: string; expiresAt: string };
  expect(res.status, JSON.stringify(session)).toBe(201);
  const linkToken = session.url.split("/connect/")[1];
  const authorizeUrl = (await startAuthorization(linkToken))!;
  const callback = await signInAndConsent(authorizeUrl, { login, stopAt: CALLBACK });
  return { session, linkToken, authorizeUrl, callback };
}

async function callMe(key: string, connectorId: string, endUserId?: string) {
  const res = await fetch(`${planeUrl}/api/v1/tools/${connectorId}/me`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...(endUserId ? { "x-user-id": endUserId } : {}) },
    body: "{}",
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

const connectionOf = (connectorId: string, endUserId: string) =>
  db.oAuthConnection.findFirst({ where: { connectorId, endUserId }, omit: { accessToken: false, refreshToken: false } });

describe("connect links, consent and the callback", () => {
  it("connects an end user with PKCE and a single-use state, stores the tokens sealed, and tool calls act as that user", async () => {
    const { connector, key } = await setup();
    expect(connector.auth).toMatchObject({ authorizeUrl: `${auth.issuer}/auth`, tokenUrl: `${auth.issuer}/token` });
    expect(JSON.stringify(connector)).not.toContain(CLIENT_SECRET);
    const alice = `alice-${suffix()}@example.test`;
    const { session, linkToken, authorizeUrl, callback } = await connectUser(connector.id, alice);
    expect(session.url.startsWith("https://switchboard.example.test/connect/")).toBe(true);
    const authz = new URL(authorizeUrl);
    expect(authz.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authz.searchParams.get("redirect_uri")).toBe(CALLBACK);
    expect(authz.searchParams.get("prompt")).toBe("consent");
    // The link shows the consent page until the callback completes.
    expect(await describeConnectLink(linkToken)).toMatchObject({ endUserId: alice, scopes: ["openid", "offline_access", "notes.read"] });
    expect(callback.searchParams.get("code")).toBeTruthy();

    expect(await completeAuthorization(callback.searchParams)).toEqual({ ok: true, connectorName: connector.name });
    expect(await describeConnectLink(linkToken)).toBeNull();
    // The same answer again: the state was used.
    expect(await completeAuthorization(callback.searchParams)).toEqual({ ok: false, reason: "replayed" });

    const row = (await connectionOf(connector.id, alice))!;
    expect(row.status).toBe("active");
    expect(row.refreshToken).toBeTruthy();
    expect(row.accessToken.startsWith("sb1.")).toBe(true);

    const ok = await callMe(key, connector.id, alice);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.body).toEqual({ subject: alice });
    const sent = api.accepted[api.accepted.length - 1].token;
    expect(await tablesContaining(sent)).toEqual({});
    expect(await tablesContaining(CLIENT_SECRET)).toEqual({});

    // No X-User-Id, or a user who never connected: refused with a clear reason, and nothing reaches the API.
    const before = api.accepted.length + api.rejected;
    const none = await callMe(key, connector.id);
    expect(none.status).toBe(403);
    expect(none.json.error.code).toBe("end_user_connection");
    const stranger = await callMe(key, connector.id, "bob@example.test");
    expect(stranger.status).toBe(403);
    expect(stranger.json.error.message).toContain("has not connected");
    expect(api.accepted.length + api.rejected).toBe(before);

    // The admin API lists the connection without a token.
    const listed = await route(connectionsRoute.GET, `/api/admin/connectors/${connector.id}/connections`, { id: connector.id });
    const text = await listed.text();
    expect(listed.status).toBe(200);
    expect(text).not.toContain(sent);
    const page = JSON.parse(text);
    expect(page.data).toEqual([
      expect.objectContaining({
        id: row.id,
        endUserId: alice,
        status: "active",
        scopes: expect.arrayContaining(["notes.read"]),
        lastError: "",
      }),
    ]);
    expect(Object.keys(page.data[0]).sort()).toEqual(["endUserId", "expiresAt", "id", "lastError", "lastRefreshedAt", "scopes", "status"]);
  }, 60_000);

  it("refuses a wrong or expired state, a replayed code and a PKCE mismatch, and stores nothing", async () => {
    const { connector } = await setup();
    expect(await completeAuthorization(new URLSearchParams({ code: "x", state: "not-a-state-we-issued" }))).toEqual({
      ok: false,
      reason: "invalid_state",
    });
    expect(await completeAuthorization(new URLSearchParams({ code: "x" }))).toEqual({ ok: false, reason: "invalid_state" });

    // Expired: the state is older than 10 minutes.
    const late = `late-${suffix()}`;
    const expired = await connectUser(connector.id, late);
    await db.connectSession.updateMany({ where: { endUserId: late }, data: { stateExpiresAt: new Date(Date.now() - 1000) } });
    expect(await completeAuthorization(expired.callback.searchParams)).toEqual({ ok: false, reason: "expired" });
    expect(await connectionOf(connector.id, late)).toBeNull();

    // PKCE mismatch: the verifier sent is not the one the challenge was made from; the server refuses the code.
    const pk = `pkce-${suffix()}`;
    const mismatch = await connectUser(connector.id, pk);
    const s = (await db.connectSession.findFirst({ where: { endUserId: pk }, select: { id: true, workspaceId: true } }))!;
    await db.connectSession.update({ where: { id: s.id }, data: { codeVerifier: sealVerifier(s.workspaceId, s.id, "x".repeat(64)) } });
    expect(await completeAuthorization(mismatch.callback.searchParams)).toEqual({ ok: false, reason: "exchange_failed" });
    expect(await connectionOf(connector.id, pk)).toBeNull();

    // Code replay: a used code presented with a new, valid state.
    const first = `first-${suffix()}`;
    const a = await connectUser(connector.id, first);
    expect((await completeAuthorization(a.callback.searchParams)).ok).toBe(true);
    const second = `second-${suffix()}`;
    const b = await connectUser(connector.id, second);
    const replay = new URLSearchParams({ code: a.callback.searchParams.get("code")!, state: b.callback.searchParams.get("state")! });
    expect(await completeAuthorization(replay)).toEqual({ ok: false, reason: "exchange_failed" });
    expect(await connectionOf(connector.id, second)).toBeNull();
  }, 90_000);
});

describe("refresh", () => {
  it("refreshes an expired token, and fifty concurrent calls at expiry make exactly one refresh against rotating refresh tokens", async () => {
    const { connector, key } = await setup();
    const user = `carol-${suffix()}`;
    auth.setAccessTtl(2);
    const c = await connectUser(connector.id, user);
    expect((await completeAuthorization(c.callback.searchParams)).ok).toBe(true);
    auth.setAccessTtl(120);
    const before = (await connectionOf(connector.id, user))!;
    await new Promise((r) => setTimeout(r, 2100));

    const refreshes = auth.refreshes();
    const errors = auth.grantErrors.length;
    const results = await Promise.all(Array.from({ length: 50 }, () => callMe(key, connector.id, user)));
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(results.map((r) => r.json.status).filter((s) => s !== 200)).toEqual([]);
    expect(auth.refreshes() - refreshes).toBe(1);
    expect(auth.grantErrors.slice(errors)).toEqual([]);
    const after = (await connectionOf(connector.id, user))!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.lastRefreshedAt).not.toBeNull();
    expect(after.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);

    // Several processes at once (each without the in-process sharing): the row lock lets one refresh, the others
    // find its token when they get the lock.
    await db.oAuthConnection.update({ where: { id: after.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const { refreshUnderLock } = await import("./user-token");
    const { endpointFor } = await import("./endpoint-for");
    const endpoint = await endpointFor({
      workspaceId: connector.workspaceId,
      internal: false,
      authSettings: (await db.connector.findFirstOrThrow({ where: { id: connector.id } })).authSettings,
    });
    const req = { connector: { id: connector.id, workspaceId: connector.workspaceId }, endpoint, endUserId: user };
    const racing = auth.refreshes();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => refreshUnderLock(after.id, req)));
    expect(auth.refreshes() - racing).toBe(1);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(auth.grantErrors.slice(errors)).toEqual([]);

    // A token the API refuses (revoked at the server) is refreshed once and the call sent again.
    await (await auth.provider.AccessToken.find(tokens[0].token))!.destroy();
    const retried = await callMe(key, connector.id, user);
    expect(retried.json.status).toBe(200);
    expect(auth.refreshes() - refreshes).toBe(3);
  }, 90_000);

  it("keeps the old tokens when the token endpoint fails, and marks the connection needs_reauth on invalid_grant", async () => {
    const { connector, key } = await setup();
    const user = `dave-${suffix()}`;
    const c = await connectUser(connector.id, user);
    expect((await completeAuthorization(c.callback.searchParams)).ok).toBe(true);
    const row = (await connectionOf(connector.id, user))!;
    await db.oAuthConnection.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    auth.setTokenEndpointDown(true);
    const down = await callMe(key, connector.id, user);
    auth.setTokenEndpointDown(false);
    expect(down.status).toBe(403);
    const kept = (await connectionOf(connector.id, user))!;
    expect(kept.refreshToken).toBe(row.refreshToken);
    expect(kept.accessToken).toBe(row.accessToken);
    expect(kept.status).toBe("active");
    expect(kept.lastError).toContain("503");
    expect(kept.retryAfter!.getTime()).toBeGreaterThan(Date.now());

    // After the backoff, the refresh goes through.
    await db.oAuthConnection.update({ where: { id: row.id }, data: { retryAfter: new Date(Date.now() - 1) } });
    expect((await callMe(key, connector.id, user)).json.status).toBe(200);

    // A refresh token the server no longer knows: invalid_grant.
    const fresh = (await connectionOf(connector.id, user))!;
    await db.oAuthConnection.update({
      where: { id: row.id },
      data: {
        expiresAt: new Date(Date.now() - 1000),
        refreshToken: sealToken(fresh.workspaceId, fresh.id, "refreshToken", "not-a-refresh-token"),
      },
    });
    const dead = await callMe(key, connector.id, user);
    expect(dead.status).toBe(403);
    const listed = await listConnections({ actor: tokenActor, connectorId: connector.id, query: { limit: 50 } });
    expect(listed.data[0]).toMatchObject({ endUserId: user, status: "needs_reauth", lastError: expect.stringContaining("invalid_grant") });
    // No retry loop: a later call does not ask the server again.
    const refreshes = auth.refreshes();
    const errors = auth.grantErrors.length;
    expect((await callMe(key, connector.id, user)).status).toBe(403);
    expect(auth.refreshes()).toBe(refreshes);
    expect(auth.grantErrors.length).toBe(errors);
  }, 60_000);
});

describe("app token and hybrid", () => {
  it("app-token gets a token with the client credentials grant; hybrid uses the user's connection, else the app token", async () => {
    const app = await setup();
    const appConnector = await createConnector({
      actor: tokenActor,
      workspaceId: app.ws.id,
      input: {
        providerId: app.provider.id,
        name: `app-${suffix()}`,
        description: "",
        customBaseUrl: false,
        pinnedVersionId: "latest",
        params: {},
        public: false,
        internal: false,
        auth: { mode: "app-token", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `${auth.issuer}/token` },
      },
    });
    const viaApp = await callMe(app.key, appConnector.id);
    expect(viaApp.json.body).toEqual({ subject: `client:${CLIENT_ID}` });

    const hybrid = await setup({ mode: "hybrid" });
    const erin = `erin-${suffix()}`;
    const c = await connectUser(hybrid.connector.id, erin);
    expect((await completeAuthorization(c.callback.searchParams)).ok).toBe(true);
    expect((await callMe(hybrid.key, hybrid.connector.id, erin)).json.body).toEqual({ subject: erin });
    expect((await callMe(hybrid.key, hybrid.connector.id, "someone-else")).json.body).toEqual({ subject: `client:${CLIENT_ID}` });
    expect((await callMe(hybrid.key, hybrid.connector.id)).json.body).toEqual({ subject: `client:${CLIENT_ID}` });
  }, 60_000);
});

describe("disconnect and workspaces", () => {
  it("revokes at the provider, deletes the tokens, audits without tokens; another workspace sees nothing", async () => {
    const a = await setup();
    const b = await setup();
    const user = `frank-${suffix()}`;
    const c = await connectUser(a.connector.id, user);
    expect((await completeAuthorization(c.callback.searchParams)).ok).toBe(true);
    expect((await callMe(a.key, a.connector.id, user)).json.status).toBe(200);
    const token = api.accepted[api.accepted.length - 1].token;
    const row = (await connectionOf(a.connector.id, user))!;

    // Workspace B: its key cannot call A's connector, its Builder cannot list, link or disconnect there.
    const cross = await callMe(b.key, a.connector.id, user);
    expect(cross.status).toBe(404);
    const builderB = await userInWorkspace("BUILDER", b.ws.id);
    await expectAppError(listConnections({ actor: builderB.actor, connectorId: a.connector.id, query: { limit: 50 } }), "not_found");
    const { createConnectSession } = await import("./connect-session");
    await expectAppError(
      createConnectSession({ actor: builderB.actor, connectorId: a.connector.id, input: { endUserId: "x" } }),
      "not_found",
    );
    const { deleteConnection } = await import("./connections");
    await expectAppError(deleteConnection({ actor: builderB.actor, connectorId: a.connector.id, connectionId: row.id }), "not_found");
    // A connection id under another connector is not found either.
    const wrong = await route(
      connectionRoute.DELETE,
      `/api/admin/connectors/${b.connector.id}/connections/${row.id}`,
      {
        id: b.connector.id,
        connectionId: row.id,
      },
      { method: "DELETE" },
    );
    expect(wrong.status).toBe(404);

    // A Member of A (the connector made public) sees and may disconnect only their own connection.
    await db.connector.update({ where: { id: a.connector.id }, data: { public: true } });
    const member = await userInWorkspace("MEMBER", a.ws.id);
    // A Member may ask for a link for their own email only.
    expect(
      (await createConnectSession({ actor: member.actor, connectorId: a.connector.id, input: { endUserId: member.user.email } })).url,
    ).toContain("/connect/");
    await expectAppError(
      createConnectSession({ actor: member.actor, connectorId: a.connector.id, input: { endUserId: "someone" } }),
      "forbidden",
    );
    const own = await connectUser(a.connector.id, member.user.email, "member-at-notes");
    expect((await completeAuthorization(own.callback.searchParams)).ok).toBe(true);
    const seen = await listConnections({ actor: member.actor, connectorId: a.connector.id, query: { limit: 50 } });
    expect(seen.data.map((c) => c.endUserId)).toEqual([member.user.email]);
    await expectAppError(deleteConnection({ actor: member.actor, connectorId: a.connector.id, connectionId: row.id }), "not_found");
    await deleteConnection({ actor: member.actor, connectorId: a.connector.id, connectionId: seen.data[0].id });
    expect(await connectionOf(a.connector.id, member.user.email)).toBeNull();

    const res = await route(
      connectionRoute.DELETE,
      `/api/admin/connectors/${a.connector.id}/connections/${row.id}`,
      {
        id: a.connector.id,
        connectionId: row.id,
      },
      { method: "DELETE" },
    );
    expect(res.status).toBe(204);
    expect(await connectionOf(a.connector.id, user)).toBeNull();
    // The grant is gone at the provider: the access token issued from it no longer works.
    expect(await auth.provider.AccessToken.find(token)).toBeUndefined();
    const audit = await db.auditEntry.findMany({ where: { targetId: a.connector.id, action: { startsWith: "connector.connection" } } });
    expect(audit.map((e) => e.action).sort(), JSON.stringify(audit.map((e) => [e.action, e.changes]))).toEqual([
      "connector.connection.create",
      "connector.connection.create",
      "connector.connection.delete",
      "connector.connection.delete",
    ]);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect((await callMe(a.key, a.connector.id, user)).status).toBe(403);
  }, 60_000);
});
