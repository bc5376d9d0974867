import { openSecret, sealSecret } from "../crypto";

// Tokens of a connection are sealed to their row and field: a token copied to another connection, field or
// workspace does not open. Connectors' end-user connections (OAuthConnection) and MCP servers' workspace
// connections (McpOAuthConnection) share this, each sealed to its own table.

type TokenField = "accessToken" | "refreshToken" | "clientSecret";
export type TokenTable = "OAuthConnection" | "McpOAuthConnection";

const ctx = (workspaceId: string, rowId: string, field: TokenField, table: TokenTable) => ({
  purpose: "oauth-token",
  workspaceId,
  table,
  field,
  rowId,
});

export const sealToken = (workspaceId: string, rowId: string, field: TokenField, token: string, table: TokenTable = "OAuthConnection") =>
  sealSecret(token, ctx(workspaceId, rowId, field, table));
export const openToken = (workspaceId: string, rowId: string, field: TokenField, sealed: string, table: TokenTable = "OAuthConnection") =>
  openSecret(sealed, ctx(workspaceId, rowId, field, table));

/** The PKCE verifier of an authorization in progress, sealed to the row that holds its state. */
type VerifierTable = "ConnectSession" | "McpOAuthConnection";
const verifierCtx = (workspaceId: string, sessionId: string, table: VerifierTable) => ({
  purpose: "oauth-pkce",
  workspaceId,
  table,
  field: "codeVerifier",
  rowId: sessionId,
});
export const sealVerifier = (workspaceId: string, sessionId: string, v: string, table: VerifierTable = "ConnectSession") =>
  sealSecret(v, verifierCtx(workspaceId, sessionId, table));
export const openVerifier = (workspaceId: string, sessionId: string, sealed: string, table: VerifierTable = "ConnectSession") =>
  openSecret(sealed, verifierCtx(workspaceId, sessionId, table));

/** Refresh this long before expiry: a minute, but at most half the token's lifetime (short tokens are not refreshed on every call). */
export function refreshMarginMs(issuedAt: Date, expiresAt: Date): number {
  return Math.max(0, Math.min(60_000, (expiresAt.getTime() - issuedAt.getTime()) / 2));
}

export function needsRefresh(row: { tokenIssuedAt: Date | null; expiresAt: Date | null }, now = Date.now()): boolean {
  if (!row.expiresAt) return false;
  return row.expiresAt.getTime() - refreshMarginMs(row.tokenIssuedAt ?? row.expiresAt, row.expiresAt) <= now;
}

/** How long a refresh that failed for a passing reason (5xx, network) waits before the next attempt. */
export const refreshBackoffMs = (failures: number) => Math.min(5 * 60_000, 1000 * 2 ** Math.max(0, failures - 1));
