import { openSecret, sealSecret } from "../crypto";

// Tokens of a connection are sealed to their row and field: a token copied to another connection, field or
// workspace does not open.

type TokenField = "accessToken" | "refreshToken";

const ctx = (workspaceId: string, rowId: string, field: TokenField) => ({
  purpose: "oauth-token",
  workspaceId,
  table: "OAuthConnection",
  field,
  rowId,
});

export const sealToken = (workspaceId: string, rowId: string, field: TokenField, token: string) =>
  sealSecret(token, ctx(workspaceId, rowId, field));
export const openToken = (workspaceId: string, rowId: string, field: TokenField, sealed: string) =>
  openSecret(sealed, ctx(workspaceId, rowId, field));

/** The PKCE verifier of a connect session, sealed to that session. */
const verifierCtx = (workspaceId: string, sessionId: string) => ({
  purpose: "oauth-pkce",
  workspaceId,
  table: "ConnectSession",
  field: "codeVerifier",
  rowId: sessionId,
});
export const sealVerifier = (workspaceId: string, sessionId: string, v: string) => sealSecret(v, verifierCtx(workspaceId, sessionId));
export const openVerifier = (workspaceId: string, sessionId: string, sealed: string) =>
  openSecret(sealed, verifierCtx(workspaceId, sessionId));

/** Refresh this long before expiry: a minute, but at most half the token's lifetime (short tokens are not refreshed on every call). */
export function refreshMarginMs(issuedAt: Date, expiresAt: Date): number {
  return Math.max(0, Math.min(60_000, (expiresAt.getTime() - issuedAt.getTime()) / 2));
}

export function needsRefresh(row: { tokenIssuedAt: Date; expiresAt: Date | null }, now = Date.now()): boolean {
  if (!row.expiresAt) return false;
  return row.expiresAt.getTime() - refreshMarginMs(row.tokenIssuedAt, row.expiresAt) <= now;
}
