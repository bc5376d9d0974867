import { db } from "../db/client";
import type { Tx } from "../db/types";
import { AppError } from "../errors";
import { logger } from "../log";
import { OAuthRequestError, refreshTokens, type OAuthEndpointContext } from "./client";
import { needsRefresh, openToken, refreshBackoffMs, sealToken } from "./token-seal";
import { singleFlight } from "./single-flight";

// An end user's access token for a tool call. Fresh tokens are returned as stored; a token about to expire (or
// one the API just refused) is refreshed by one caller at a time per connection: within a process the callers
// share one promise, across processes a `SELECT ... FOR UPDATE` on the connection's row serializes them, and
// the row is read again under the lock, so whoever waited finds the new token instead of refreshing again
// (with a rotating refresh token a second refresh would fail and revoke the grant).

/** The end user has no usable connection (none, needs re-authorization, refresh failing): the caller's to fix. */
export class ConnectionUnusableError extends AppError {
  readonly endUserConnection = true;
  constructor(message: string) {
    super("bad_request", message);
  }
}

export const isConnectionUnusable = (e: unknown): e is ConnectionUnusableError =>
  !!e && typeof e === "object" && (e as { endUserConnection?: boolean }).endUserConnection === true;

export interface UserTokenRequest {
  connector: { id: string; workspaceId: string };
  endpoint: OAuthEndpointContext;
  endUserId: string;
  /** The API refused this token: refresh unless the stored one is already another. */
  rejectedToken?: string;
}

export interface AccessToken {
  token: string;
  tokenType: string;
}

const tokenSelect = {
  id: true,
  workspaceId: true,
  status: true,
  accessToken: true,
  refreshToken: true,
  tokenType: true,
  tokenIssuedAt: true,
  expiresAt: true,
  retryAfter: true,
  refreshFailures: true,
} as const;

type TokenRow = NonNullable<Awaited<ReturnType<typeof readRow>>>;
const readRow = (tx: Tx, where: { id: string } | { connectorId: string; endUserId: string }) =>
  tx.oAuthConnection.findFirst({ where, select: tokenSelect });

const bearer = (row: TokenRow): AccessToken => ({
  token: openToken(row.workspaceId, row.id, "accessToken", row.accessToken),
  tokenType: row.tokenType,
});

function unusable(row: TokenRow): ConnectionUnusableError | null {
  if (row.status === "needs_reauth")
    return new ConnectionUnusableError("The end user's connection needs to be authorized again (create a new connect link)");
  return null;
}

/** The end user's token, refreshed when due; null when this end user has no connection. */
export async function userAccessToken(req: UserTokenRequest): Promise<AccessToken | null> {
  const row = await readRow(db, { connectorId: req.connector.id, endUserId: req.endUserId });
  if (!row) return null;
  const bad = unusable(row);
  if (bad) throw bad;
  const current = bearer(row);
  const due = req.rejectedToken ? req.rejectedToken === current.token : needsRefresh(row);
  if (!due) return current;
  return singleFlight(row.id, () => refreshUnderLock(row.id, req));
}

type Outcome = { token: AccessToken } | { error: Error };

/** The refresh under the row lock, without the in-process sharing: what each process runs (exported for tests). */
export async function refreshUnderLock(id: string, req: UserTokenRequest): Promise<AccessToken> {
  // The transaction commits what happened (new tokens, or needs_reauth, or the backoff) before the caller hears it.
  const outcome = await db.$transaction(
    async (tx): Promise<Outcome> => {
      await tx.$queryRaw`SELECT "id" FROM "OAuthConnection" WHERE "id" = ${id} FOR UPDATE`;
      const row = await readRow(tx, { id });
      if (!row) return { error: new ConnectionUnusableError("The end user's connection was removed") };
      const bad = unusable(row);
      if (bad) return { error: bad };
      const current = bearer(row);
      // Someone refreshed while we waited for the lock.
      const due = req.rejectedToken ? req.rejectedToken === current.token : needsRefresh(row);
      if (!due) return { token: current };
      const now = new Date();
      const stillValid = !row.expiresAt || row.expiresAt > now;
      if (row.retryAfter && row.retryAfter > now) {
        if (stillValid && !req.rejectedToken) return { token: current };
        return { error: new ConnectionUnusableError("The provider's token endpoint is failing; the refresh is retried shortly") };
      }
      if (!row.refreshToken) {
        if (stillValid && !req.rejectedToken) return { token: current };
        await tx.oAuthConnection.update({
          where: { id },
          data: { status: "needs_reauth", lastError: "The token expired and the provider gave no refresh token", lastErrorAt: now },
        });
        return { error: new ConnectionUnusableError("The end user's token expired and cannot be refreshed; create a new connect link") };
      }
      const refreshToken = openToken(row.workspaceId, row.id, "refreshToken", row.refreshToken);
      try {
        const t = await refreshTokens(req.endpoint, refreshToken);
        await tx.oAuthConnection.update({
          where: { id },
          data: {
            accessToken: sealToken(row.workspaceId, id, "accessToken", t.accessToken),
            // A rotated refresh token replaces the old one in this same transaction; an answer without one keeps it.
            ...(t.refreshToken ? { refreshToken: sealToken(row.workspaceId, id, "refreshToken", t.refreshToken) } : {}),
            tokenType: t.tokenType,
            tokenIssuedAt: now,
            expiresAt: t.expiresIn !== null ? new Date(now.getTime() + t.expiresIn * 1000) : null,
            ...(t.scopes ? { scopes: t.scopes } : {}),
            lastRefreshedAt: now,
            status: "active",
            lastError: "",
            retryAfter: null,
            refreshFailures: 0,
          },
        });
        return { token: { token: t.accessToken, tokenType: t.tokenType } };
      } catch (e) {
        if (!(e instanceof OAuthRequestError)) throw e;
        if (e.kind === "transient") {
          const failures = row.refreshFailures + 1;
          await tx.oAuthConnection.update({
            where: { id },
            data: {
              lastError: e.message,
              lastErrorAt: now,
              refreshFailures: failures,
              retryAfter: new Date(now.getTime() + refreshBackoffMs(failures)),
            },
          });
          // The old tokens are kept; the access token is used while it lasts.
          if (stillValid && !req.rejectedToken) return { token: current };
          return { error: new ConnectionUnusableError(`The end user's token could not be refreshed: ${e.message}`) };
        }
        await tx.oAuthConnection.update({
          where: { id },
          data: { status: "needs_reauth", lastError: e.message, lastErrorAt: now, retryAfter: null },
        });
        logger.warn("oauth connection needs re-authorization", { connectionId: id, reason: e.oauthError ?? e.kind });
        return {
          error: new ConnectionUnusableError(`The end user's connection needs to be authorized again (${e.oauthError ?? "refused"})`),
        };
      }
    },
    { maxWait: 30_000, timeout: 45_000 },
  );
  if ("error" in outcome) throw outcome.error;
  return outcome.token;
}
