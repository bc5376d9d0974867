import crypto from "node:crypto";
import {
  selectClientAuthMethod,
  discoverOAuthServerInfo,
  exchangeAuthorization,
  extractWWWAuthenticateParams,
  registerClient,
  startAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { checkResourceAllowed, resourceUrlFromServerUrl } from "@modelcontextprotocol/sdk/shared/auth-utils.js";
import type { AuthorizationServerMetadata, OAuthClientInformationMixed } from "@modelcontextprotocol/sdk/shared/auth.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { actorLabel, type Actor } from "../auth/actor";
import { hashSecret } from "../auth/secret-token";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors";
import { logger } from "../log";
import { CONNECT_SESSION_TTL_MS } from "../oauth/connect-session";
import { redirectUriFor } from "../oauth/redirect-uri";
import { openToken, openVerifier, sealToken, sealVerifier } from "../oauth/token-seal";
import type { McpOAuthAuthorizeDto, McpServerDto } from "../schemas/mcp";
import { requireMcpServerAccess } from "./access";
import { classifyOAuthFailure, isLoopbackHost, oauthFetch } from "./oauth-http";
import {
  clientOf,
  configuredClient,
  MCP_OAUTH_TABLE as TABLE,
  mcpOAuthServerSelect as serverSelect,
  pickAuthMethod,
  type McpOAuthServerRow as ServerRow,
} from "./oauth-client";
import { getMcpServerIn } from "./server-dto";
import { refreshMcpServer } from "./refresh-server";
import { forgetMcpServer } from "./watcher";

// OAuth for an MCP server as the MCP authorization specification describes it, with the SDK's helpers over
// Switchboard's storage. The connection is the workspace's (one per server); an Admin (or Builder) consents
// from the console:
//   1. probe the server without a token: its 401 names the protected resource metadata (RFC 9728), else the
//      well-known URLs are tried; the metadata names the authorization server (RFC 8414 / OIDC discovery);
//   2. the client: the one configured on the server, else one registered dynamically (RFC 7591) and kept;
//   3. the authorization URL with PKCE (S256), our state and the `resource` (RFC 8707); the state is stored
//      hashed and the verifier sealed, valid 10 minutes;
//   4. the shared callback (/api/oauth/callback) finds the flow by its state, consumes it once, exchanges the
//      code (with `resource` again) and stores the tokens sealed. Any failure stores no token.

const CLIENT_NAME = "Switchboard";

const invalid = (message: string) => new AppError("bad_request", message);

/** Step 1: the server's answer without a token, for the resource metadata URL and the scope it asks for. */
async function probe(server: ServerRow): Promise<{ resourceMetadataUrl?: URL; scope?: string }> {
  try {
    const res = await oauthFetch(server)(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "switchboard", version: "1.0.0" } },
      }),
    });
    if (res.status !== 401) return {};
    const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(res);
    return { resourceMetadataUrl, scope };
  } catch (e) {
    logger.info("mcp oauth: probe without a token failed; trying the well-known metadata", { serverId: server.id, error: String(e) });
    return {};
  }
}

interface Discovery {
  resource: string;
  resourceMetadataUrl: string | null;
  authServerUrl: string;
  metadata: AuthorizationServerMetadata | undefined;
  scopes: string[];
}

async function discover(server: ServerRow): Promise<Discovery> {
  const fetchFn = oauthFetch(server);
  const hint = await probe(server);
  let info;
  try {
    info = await discoverOAuthServerInfo(server.url, { resourceMetadataUrl: hint.resourceMetadataUrl, fetchFn });
  } catch (e) {
    throw invalid(`The MCP server's authorization server could not be discovered: ${classifyOAuthFailure(e).message}`);
  }
  // The 2025-06-18 specification: the authorization server's endpoints come from its metadata, never guessed.
  if (!info.authorizationServerMetadata)
    throw invalid(
      `The MCP server's authorization server could not be discovered: no metadata at ${info.authorizationServerUrl.slice(0, 200)} (RFC 8414 or OpenID Connect discovery)`,
    );
  const prm = info.resourceMetadata;
  // The resource metadata must be about this server (RFC 9728 §3.3); the resource indicator is its own value.
  if (prm?.resource && !checkResourceAllowed({ requestedResource: server.url, configuredResource: prm.resource }))
    throw invalid(`The server's protected resource metadata names another resource (${prm.resource.slice(0, 200)})`);
  const resource = prm?.resource ?? resourceUrlFromServerUrl(server.url).href;
  const scopes = server.oauthScopes.length
    ? server.oauthScopes
    : (hint.scope?.split(" ").filter(Boolean) ?? prm?.scopes_supported ?? []).slice(0, 50);
  return {
    resource,
    resourceMetadataUrl: hint.resourceMetadataUrl?.href ?? null,
    authServerUrl: info.authorizationServerUrl,
    metadata: info.authorizationServerMetadata,
    scopes,
  };
}

/** The same authorization server endpoints (stored metadata comes back from jsonb with its keys reordered). */
const sameServer = (a: unknown, b: AuthorizationServerMetadata | undefined) => {
  const x = (a ?? {}) as Partial<AuthorizationServerMetadata>;
  return x.issuer === b?.issuer && x.token_endpoint === b?.token_endpoint && x.authorization_endpoint === b?.authorization_endpoint;
};

const pendingSelect = {
  pendingResource: true,
  pendingResourceMetadataUrl: true,
  pendingAuthServerUrl: true,
  pendingAuthServerMetadata: true,
  pendingClientSource: true,
  pendingClientId: true,
  pendingClientSecret: true,
  pendingClientRedirectUri: true,
} as const;

const NO_PENDING = {
  pendingResource: null,
  pendingResourceMetadataUrl: null,
  pendingAuthServerUrl: null,
  pendingAuthServerMetadata: Prisma.DbNull,
  pendingClientSource: null,
  pendingClientId: null,
  pendingClientSecret: null,
  pendingClientRedirectUri: null,
};

type PendingRow = { id: string; workspaceId: string } & {
  [K in keyof typeof pendingSelect]: K extends "pendingAuthServerMetadata" ? unknown : string | null;
};

/** The discovery and client of the authorization in progress, shaped as a connection's; null when none is pending. */
function pendingFlow(row: PendingRow) {
  if (!row.pendingAuthServerUrl || !row.pendingResource || !row.pendingClientSource) return null;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    resource: row.pendingResource,
    resourceMetadataUrl: row.pendingResourceMetadataUrl,
    authServerUrl: row.pendingAuthServerUrl,
    authServerMetadata: row.pendingAuthServerMetadata ?? {},
    clientSource: row.pendingClientSource,
    clientId: row.pendingClientId,
    clientSecret: row.pendingClientSecret,
    clientRedirectUri: row.pendingClientRedirectUri,
  };
}

/** POST /api/admin/mcp-servers/{id}/oauth/authorize: discovery, the client, and the authorization URL to send the Admin to. */
export async function startMcpAuthorization(opts: {
  actor: Actor;
  serverId: string;
  requestOrigin?: string;
  requestId?: string;
}): Promise<McpOAuthAuthorizeDto> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  const server = await db.mcpServer.findFirst({ where: { id: opts.serverId, workspaceId }, select: serverSelect });
  if (!server) throw notFound("MCP server");
  if (server.authType !== "oauth")
    throw new AppError("bad_request", `The MCP server '${server.name}' does not use OAuth (its authentication is ${server.authType})`);
  const redirectUri = redirectUriFor(opts.requestOrigin);
  const found = await discover(server);
  const fetchFn = oauthFetch(server);
  const existing = await db.mcpOAuthConnection.findFirst({
    where: { serverId: server.id },
    select: {
      id: true,
      workspaceId: true,
      authServerUrl: true,
      authServerMetadata: true,
      clientSource: true,
      clientId: true,
      clientSecret: true,
      clientRedirectUri: true,
      ...pendingSelect,
    },
  });
  const id = existing?.id ?? `mo${crypto.randomBytes(12).toString("hex")}`;

  // The client: configured on the server, else the dynamic one registered earlier with this authorization server
  // and redirect URI (by the live connection, or by an earlier flow that did not complete), else a new registration.
  let client: OAuthClientInformationMixed;
  let registration: { clientSource: string; clientId: string | null; clientSecret: string | null; clientRedirectUri: string | null };
  const configured = await configuredClient(server);
  const reusable = (existing ? [pendingFlow(existing), existing] : []).find(
    (c): c is NonNullable<typeof c> =>
      c?.clientSource === "dynamic" &&
      !!c.clientId &&
      c.authServerUrl === found.authServerUrl &&
      c.clientRedirectUri === redirectUri &&
      sameServer(c.authServerMetadata, found.metadata),
  );
  if (configured) {
    client = configured;
    registration = { clientSource: "configured", clientId: configured.client_id, clientSecret: null, clientRedirectUri: null };
  } else if (reusable) {
    client = await clientOf(server, reusable);
    registration = {
      clientSource: "dynamic",
      clientId: reusable.clientId,
      clientSecret: reusable.clientSecret,
      clientRedirectUri: reusable.clientRedirectUri,
    };
  } else {
    if (!found.metadata?.registration_endpoint)
      throw invalid(
        "The MCP server's authorization server does not offer dynamic client registration: register Switchboard there " +
          `(redirect URI ${redirectUri}) and set the client id (and secret) on the server`,
      );
    const method = pickAuthMethod(found.metadata);
    let full;
    try {
      full = await registerClient(found.authServerUrl, {
        metadata: found.metadata,
        clientMetadata: {
          client_name: CLIENT_NAME,
          redirect_uris: [redirectUri],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          token_endpoint_auth_method: method,
          ...(found.scopes.length ? { scope: found.scopes.join(" ") } : {}),
        },
        fetchFn,
      });
    } catch (e) {
      throw invalid(`The authorization server refused Switchboard's client registration: ${classifyOAuthFailure(e).message}`);
    }
    client = full;
    registration = {
      clientSource: "dynamic",
      clientId: full.client_id,
      clientSecret: full.client_secret ? sealToken(workspaceId, id, "clientSecret", full.client_secret, TABLE) : null,
      clientRedirectUri: redirectUri,
    };
  }

  const state = crypto.randomBytes(32).toString("base64url");
  let started;
  try {
    started = await startAuthorization(found.authServerUrl, {
      metadata: found.metadata,
      clientInformation: client,
      redirectUrl: redirectUri,
      scope: found.scopes.length ? found.scopes.join(" ") : undefined,
      state,
      resource: found.resource,
    });
  } catch (e) {
    throw invalid(`The MCP server's authorization server cannot be used: ${(e as Error).message.slice(0, 300)}`);
  }
  // The console sends the browser there: an https page (http only on loopback, or for a server an Admin marked internal).
  const authz = started.authorizationUrl;
  if (!(authz.protocol === "https:" || (authz.protocol === "http:" && (isLoopbackHost(authz.hostname) || server.internal))))
    throw invalid(`The authorization server's authorization endpoint must be an https URL (it is ${authz.protocol}//${authz.host})`);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + CONNECT_SESSION_TTL_MS);
  const flow = {
    resource: found.resource,
    resourceMetadataUrl: found.resourceMetadataUrl,
    authServerUrl: found.authServerUrl,
    authServerMetadata: (found.metadata ?? {}) as Prisma.InputJsonValue,
    ...registration,
  };
  // The flow's discovery and client are kept apart from the live connection's: an earlier connection keeps
  // refreshing its tokens with its own authorization server and client until this authorization completes.
  const data = {
    pendingResource: flow.resource,
    pendingResourceMetadataUrl: flow.resourceMetadataUrl,
    pendingAuthServerUrl: flow.authServerUrl,
    pendingAuthServerMetadata: flow.authServerMetadata,
    pendingClientSource: flow.clientSource,
    pendingClientId: flow.clientId,
    pendingClientSecret: flow.clientSecret,
    pendingClientRedirectUri: flow.clientRedirectUri,
    stateHash: hashSecret(state),
    codeVerifier: sealVerifier(workspaceId, id, started.codeVerifier, TABLE),
    stateExpiresAt: expiresAt,
    redirectUri,
    startedBy: actorLabel(opts.actor),
  };
  await db.$transaction(async (tx) => {
    // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
    if (existing) await tx.mcpOAuthConnection.update({ where: { id }, data, select: { id: true } });
    else await tx.mcpOAuthConnection.create({ data: { ...flow, ...data, id, serverId: server.id, workspaceId }, select: { id: true } });
    await recordAudit(tx, {
      actor: opts.actor,
      action: "mcp_server.oauth.authorize",
      targetType: "mcp_server",
      targetId: server.id,
      targetLabel: server.name,
      workspaceId,
      changes: {
        authorizationServer: { from: existing?.authServerUrl ?? null, to: found.authServerUrl },
        client: { from: existing?.clientSource ?? null, to: registration.clientSource },
      },
      requestId: opts.requestId,
    });
  });
  return { url: started.authorizationUrl.toString(), expiresAt: expiresAt.toISOString() };
}

export type McpCallbackResult =
  | { ok: true; serverId: string; workspaceId: string }
  | {
      ok: false;
      serverId: string;
      workspaceId: string;
      reason: "expired" | "replayed" | "denied" | "invalid_state" | "exchange_failed";
    };

/** The callback for an MCP flow; null when the state is not one of ours (a connector's connect session's). */
export async function completeMcpAuthorization(params: URLSearchParams): Promise<McpCallbackResult | null> {
  const state = params.get("state") ?? "";
  if (!state || state.length > 512) return null;
  const stateHash = hashSecret(state);
  const conn = await db.mcpOAuthConnection.findFirst({
    where: { stateHash },
    select: {
      id: true,
      workspaceId: true,
      serverId: true,
      resource: true,
      resourceMetadataUrl: true,
      authServerUrl: true,
      authServerMetadata: true,
      clientSource: true,
      clientId: true,
      clientSecret: true,
      clientRedirectUri: true,
      ...pendingSelect,
      codeVerifier: true,
      stateExpiresAt: true,
      redirectUri: true,
      startedBy: true,
      server: { select: serverSelect },
    },
  });
  if (!conn) return null;
  const base = { serverId: conn.serverId, workspaceId: conn.workspaceId };
  // Single use: whoever clears the state first owns it; a replay finds nothing to clear.
  // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
  const consumed = await db.mcpOAuthConnection.updateMany({
    where: { id: conn.id, stateHash },
    data: { stateHash: null, codeVerifier: null, stateExpiresAt: null, ...NO_PENDING },
  });
  if (consumed.count !== 1) return { ok: false, ...base, reason: "replayed" };
  const now = new Date();
  if (!conn.stateExpiresAt || conn.stateExpiresAt <= now || !conn.codeVerifier || !conn.redirectUri)
    return { ok: false, ...base, reason: "expired" };
  if (params.get("error")) return { ok: false, ...base, reason: "denied" };
  const code = params.get("code");
  if (!code || code.length > 4096) return { ok: false, ...base, reason: "invalid_state" };

  const server = conn.server;
  // The server stopped using OAuth while its Admin was at the consent page: nothing is stored.
  if (server.authType !== "oauth") return { ok: false, ...base, reason: "invalid_state" };
  // What this flow discovered and registered (a flow started before these were kept apart used the row's own).
  const flow = pendingFlow(conn) ?? conn;
  let tokens;
  try {
    const client = await clientOf(server, flow);
    tokens = await exchangeAuthorization(flow.authServerUrl, {
      metadata: flow.authServerMetadata as AuthorizationServerMetadata,
      clientInformation: client,
      authorizationCode: code,
      codeVerifier: openVerifier(conn.workspaceId, conn.id, conn.codeVerifier, TABLE),
      redirectUri: conn.redirectUri,
      resource: flow.resource,
      fetchFn: oauthFetch(server),
    });
  } catch (e) {
    const failure = classifyOAuthFailure(e);
    logger.warn("mcp oauth: code exchange failed", { serverId: server.id, error: failure.code ?? failure.message });
    await db.mcpOAuthConnection.update({
      where: { id: conn.id },
      data: { lastError: failure.message, lastErrorAt: now },
      select: { id: true },
    });
    return { ok: false, ...base, reason: "exchange_failed" };
  }

  const scopes = tokens.scope?.split(" ").filter(Boolean) ?? server.oauthScopes;
  await db.$transaction(async (tx) => {
    // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
    await tx.mcpOAuthConnection.update({
      where: { id: conn.id },
      data: {
        // The flow's authorization server and client become the connection's, with its tokens.
        resource: flow.resource,
        resourceMetadataUrl: flow.resourceMetadataUrl,
        authServerUrl: flow.authServerUrl,
        authServerMetadata: (flow.authServerMetadata ?? {}) as Prisma.InputJsonValue,
        clientSource: flow.clientSource,
        clientId: flow.clientId,
        clientSecret: flow.clientSecret,
        clientRedirectUri: flow.clientRedirectUri,
        ...NO_PENDING,
        status: "active",
        scopes,
        accessToken: sealToken(conn.workspaceId, conn.id, "accessToken", tokens.access_token, TABLE),
        refreshToken: tokens.refresh_token ? sealToken(conn.workspaceId, conn.id, "refreshToken", tokens.refresh_token, TABLE) : null,
        tokenType: (tokens.token_type || "bearer").toLowerCase(),
        tokenIssuedAt: now,
        expiresAt: tokens.expires_in !== undefined ? new Date(now.getTime() + tokens.expires_in * 1000) : null,
        lastRefreshedAt: null,
        lastError: "",
        lastErrorAt: null,
        retryAfter: null,
        refreshFailures: 0,
        connectedBy: conn.startedBy,
        connectedAt: now,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: { type: "system" },
      action: "mcp_server.oauth.connect",
      targetType: "mcp_server",
      targetId: server.id,
      targetLabel: server.name,
      workspaceId: conn.workspaceId,
      changes: { connectedBy: { from: null, to: conn.startedBy }, scopes: { from: null, to: scopes } },
    });
  });
  // A live session (if any) holds the old connection's token: the watcher opens one with the new at its next sync.
  await forgetMcpServer(server.id);
  // Discover the tools with the new token (the callback's redirect waits for it: the page then shows them).
  await refreshMcpServer(server.id);
  return { ok: true, ...base };
}

/**
 * Revokes the connection's refresh token (else its access token) at the authorization server (RFC 7009), when it
 * has a revocation endpoint. Best effort: the tokens are deleted here whatever the answer.
 */
async function revokeAtServer(serverId: string): Promise<"revoked" | "not_supported" | "failed" | "nothing"> {
  const conn = await db.mcpOAuthConnection.findFirst({
    where: { serverId },
    select: {
      id: true,
      workspaceId: true,
      accessToken: true,
      refreshToken: true,
      authServerUrl: true,
      authServerMetadata: true,
      clientSource: true,
      clientId: true,
      clientSecret: true,
      clientRedirectUri: true,
      server: { select: serverSelect },
    },
  });
  if (!conn || (!conn.refreshToken && !conn.accessToken)) return "nothing";
  const metadata = conn.authServerMetadata as AuthorizationServerMetadata & {
    revocation_endpoint?: string;
    revocation_endpoint_auth_methods_supported?: string[];
  };
  if (!metadata.revocation_endpoint) return "not_supported";
  try {
    const field = conn.refreshToken ? "refreshToken" : "accessToken";
    const token = openToken(conn.workspaceId, conn.id, field, (conn.refreshToken ?? conn.accessToken)!, TABLE);
    const client = await clientOf(conn.server, conn);
    const params = new URLSearchParams({ token, token_type_hint: field === "refreshToken" ? "refresh_token" : "access_token" });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    const method = selectClientAuthMethod(
      client,
      metadata.revocation_endpoint_auth_methods_supported ?? metadata.token_endpoint_auth_methods_supported ?? [],
    );
    if (method === "client_secret_basic" && client.client_secret)
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString("base64")}`;
    else {
      params.set("client_id", client.client_id);
      if (method === "client_secret_post" && client.client_secret) params.set("client_secret", client.client_secret);
    }
    const res = await oauthFetch(conn.server)(metadata.revocation_endpoint, { method: "POST", headers, body: params.toString() });
    return res.ok ? "revoked" : "failed";
  } catch (e) {
    logger.warn("mcp oauth: revocation failed", { serverId, error: classifyOAuthFailure(e).message });
    return "failed";
  }
}

/** DELETE /api/admin/mcp-servers/{id}/oauth: revoke and forget the tokens (the registered client is kept for the next connect). */
export async function disconnectMcpOAuth(opts: { actor: Actor; serverId: string; requestId?: string }): Promise<McpServerDto> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  const revocation = await revokeAtServer(opts.serverId);
  await db.$transaction(async (tx) => {
    const conn = await tx.mcpOAuthConnection.findFirst({
      where: { serverId: opts.serverId, workspaceId },
      select: { id: true, status: true, server: { select: { name: true } } },
    });
    if (!conn || conn.status === "not_connected") return;
    // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
    await tx.mcpOAuthConnection.update({
      where: { id: conn.id },
      data: {
        status: "not_connected",
        accessToken: null,
        refreshToken: null,
        tokenIssuedAt: null,
        expiresAt: null,
        stateHash: null,
        codeVerifier: null,
        stateExpiresAt: null,
        ...NO_PENDING,
        scopes: [],
        lastError: "",
        lastErrorAt: null,
        retryAfter: null,
        refreshFailures: 0,
        connectedAt: null,
        connectedBy: null,
      },
      select: { id: true },
    });
    // registry-neutral: MCP servers are not in the gateway's routing snapshot.
    await tx.mcpServer.update({
      where: { id: opts.serverId },
      data: { status: "failing", lastError: "Not connected: an Admin must connect the server's OAuth account", statusAt: new Date() },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: "mcp_server.oauth.disconnect",
      targetType: "mcp_server",
      targetId: opts.serverId,
      targetLabel: conn.server.name,
      workspaceId,
      changes: { status: { from: conn.status, to: "not_connected" }, revocation: { from: null, to: revocation } },
      requestId: opts.requestId,
    });
  });
  // The live session (if any) used the revoked token: closed now, not opened again while not connected.
  await forgetMcpServer(opts.serverId);
  const dto = await getMcpServerIn(db, { id: opts.serverId, workspaceId });
  if (!dto) throw notFound("MCP server");
  return dto;
}
