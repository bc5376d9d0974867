import crypto from "node:crypto";
import { db } from "../db/client";
import { hashSecret } from "../auth/secret-token";
import { recordAudit } from "../audit/record";
import { logger } from "../log";
import { authorizationUrl, exchangeCode, newPkce, OAuthRequestError } from "./client";
import { endpointFor } from "./endpoint-for";
import { readClientSettings } from "./settings";
import { CONNECT_SESSION_TTL_MS } from "./connect-session";
import { openVerifier, sealToken, sealVerifier } from "./token-seal";

// The consent page and the callback. The link token opens the page; Continue issues a `state` (random, stored
// hashed, bound to the session's connector and end user, valid 10 minutes) and a PKCE verifier (sealed), and
// sends the browser to the provider. The callback consumes the state once, exchanges the code with the
// verifier, and only then stores the tokens (sealed). Any failure stores nothing.

const linkWhere = (token: string) => ({ linkHash: hashSecret(token), usedAt: null, expiresAt: { gt: new Date() } });
const validToken = (t: string) => typeof t === "string" && t.length >= 20 && t.length <= 200;

export interface ConnectLinkView {
  connectorName: string;
  providerName: string;
  workspaceName: string;
  endUserId: string;
  requestedBy: string;
  scopes: string[];
  expiresAt: Date;
}

/** What the consent page shows; null when the link is unknown, used or expired. */
export async function describeConnectLink(token: string): Promise<ConnectLinkView | null> {
  if (!validToken(token)) return null;
  const s = await db.connectSession.findFirst({
    where: linkWhere(token),
    select: {
      endUserId: true,
      requestedBy: true,
      expiresAt: true,
      connector: {
        select: { name: true, authSettings: true, provider: { select: { name: true } }, workspace: { select: { name: true } } },
      },
    },
  });
  if (!s) return null;
  return {
    connectorName: s.connector.name,
    providerName: s.connector.provider.name,
    workspaceName: s.connector.workspace.name,
    endUserId: s.endUserId,
    requestedBy: s.requestedBy,
    scopes: readClientSettings((s.connector.authSettings ?? {}) as Record<string, unknown>).scopes,
    expiresAt: s.expiresAt,
  };
}

/** Continue on the consent page: the provider's authorization URL, or null when the link cannot be used. */
export async function startAuthorization(token: string): Promise<string | null> {
  if (!validToken(token)) return null;
  const s = await db.connectSession.findFirst({
    where: linkWhere(token),
    select: { id: true, workspaceId: true, redirectUri: true, connector: { select: { authSettings: true } } },
  });
  if (!s) return null;
  const { state, verifier } = newPkce();
  const now = new Date();
  // registry-neutral: connect sessions are not in the gateway's routing snapshot. A new Continue replaces the state.
  const updated = await db.connectSession.updateMany({
    where: { id: s.id, usedAt: null },
    data: {
      stateHash: hashSecret(state),
      codeVerifier: sealVerifier(s.workspaceId, s.id, verifier),
      stateExpiresAt: new Date(now.getTime() + CONNECT_SESSION_TTL_MS),
      startedAt: now,
    },
  });
  if (updated.count !== 1) return null;
  const settings = readClientSettings((s.connector.authSettings ?? {}) as Record<string, unknown>);
  return authorizationUrl({ settings, redirectUri: s.redirectUri, state, verifier });
}

export type CallbackResult =
  | { ok: true; connectorName: string }
  | { ok: false; reason: "invalid_state" | "expired" | "replayed" | "denied" | "exchange_failed" | "misconfigured" };

/** GET /api/oauth/callback: consume the state, exchange the code, store the tokens. */
export async function completeAuthorization(params: URLSearchParams): Promise<CallbackResult> {
  const state = params.get("state") ?? "";
  if (!state || state.length > 512) return { ok: false, reason: "invalid_state" };
  const session = await db.connectSession.findFirst({
    where: { stateHash: hashSecret(state) },
    select: {
      id: true,
      workspaceId: true,
      connectorId: true,
      endUserId: true,
      redirectUri: true,
      requestedBy: true,
      codeVerifier: true,
      stateExpiresAt: true,
      connector: { select: { id: true, name: true, workspaceId: true, internal: true, authSettings: true } },
    },
  });
  if (!session || !session.codeVerifier) return { ok: false, reason: "invalid_state" };
  const now = new Date();
  // Single use: whoever flips usedAt first owns this state; a replay finds it used.
  // registry-neutral: connect sessions are not in the gateway's routing snapshot.
  const consumed = await db.connectSession.updateMany({ where: { id: session.id, usedAt: null }, data: { usedAt: now } });
  if (consumed.count !== 1) return { ok: false, reason: "replayed" };
  if (!session.stateExpiresAt || session.stateExpiresAt <= now) return { ok: false, reason: "expired" };
  if (params.get("error")) return { ok: false, reason: "denied" };
  const code = params.get("code");
  if (!code || code.length > 4096) return { ok: false, reason: "invalid_state" };

  const { connector } = session;
  let tokens;
  try {
    const endpoint = await endpointFor(connector);
    const verifier = openVerifier(session.workspaceId, session.id, session.codeVerifier);
    tokens = await exchangeCode(endpoint, { code, redirectUri: session.redirectUri, verifier });
  } catch (e) {
    if (e instanceof OAuthRequestError) {
      logger.warn("oauth code exchange failed", { connectorId: connector.id, kind: e.kind, error: e.oauthError ?? e.message });
      return { ok: false, reason: "exchange_failed" };
    }
    logger.error("oauth code exchange could not run", { connectorId: connector.id, error: e });
    return { ok: false, reason: "misconfigured" };
  }

  await db.$transaction(async (tx) => {
    const existing = await tx.oAuthConnection.findFirst({
      where: { connectorId: connector.id, endUserId: session.endUserId },
      select: { id: true },
    });
    const id = existing?.id ?? `oc${crypto.randomBytes(12).toString("hex")}`;
    const ws = connector.workspaceId;
    const data = {
      status: "active",
      scopes: tokens.scopes ?? readClientSettings((connector.authSettings ?? {}) as Record<string, unknown>).scopes,
      accessToken: sealToken(ws, id, "accessToken", tokens.accessToken),
      // Never replace a refresh token with nothing: an answer without one keeps the stored one.
      ...(tokens.refreshToken ? { refreshToken: sealToken(ws, id, "refreshToken", tokens.refreshToken) } : {}),
      tokenType: tokens.tokenType,
      tokenIssuedAt: now,
      expiresAt: tokens.expiresIn !== null ? new Date(now.getTime() + tokens.expiresIn * 1000) : null,
      lastError: "",
      lastErrorAt: null,
      retryAfter: null,
      refreshFailures: 0,
    };
    // registry-neutral: OAuth connections are not in the gateway's routing snapshot.
    if (existing) await tx.oAuthConnection.update({ where: { id }, data, select: { id: true } });
    else
      await tx.oAuthConnection.create({
        data: { ...data, id, workspaceId: ws, connectorId: connector.id, endUserId: session.endUserId },
        select: { id: true },
      });
    await recordAudit(tx, {
      actor: { type: "system" },
      action: existing ? "connector.connection.update" : "connector.connection.create",
      targetType: "connector",
      targetId: connector.id,
      targetLabel: connector.name,
      workspaceId: ws,
      changes: { endUserId: { from: null, to: session.endUserId }, requestedBy: { from: null, to: session.requestedBy } },
    });
  });
  return { ok: true, connectorName: connector.name };
}
