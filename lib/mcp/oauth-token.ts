import { refreshAuthorization } from "@modelcontextprotocol/sdk/client/auth.js";
import type { AuthorizationServerMetadata } from "@modelcontextprotocol/sdk/shared/auth.js";
import { db } from "../db/client";
import type { Tx } from "../db/types";
import { logger } from "../log";
import { needsRefresh, openToken, refreshBackoffMs, sealToken } from "../oauth/token-seal";
import { singleFlight } from "../oauth/single-flight";
import { clientOf, configuredClient, MCP_OAUTH_TABLE, mcpOAuthServerSelect } from "./oauth-client";
import { classifyOAuthFailure, oauthFetch } from "./oauth-http";

// The bearer token of an MCP server's workspace connection, for discovery and tool calls. A token about to
// expire (or one the server just refused) is refreshed by one caller at a time: within a process callers share
// one promise, across processes `SELECT ... FOR UPDATE` on the connection row serializes them, and the row is
// read again under the lock so whoever waited finds the new token (a rotating refresh token is used once).
// A refused refresh (invalid_grant...) marks the connection needs_reauth; a passing failure backs off.

/** The server cannot be called until an Admin connects (again). The message is shown as the server's last error. */
export class McpAuthRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "McpAuthRequiredError";
  }
}

const tokenSelect = {
  id: true,
  workspaceId: true,
  status: true,
  accessToken: true,
  refreshToken: true,
  tokenIssuedAt: true,
  expiresAt: true,
  retryAfter: true,
  refreshFailures: true,
  resource: true,
  authServerUrl: true,
  authServerMetadata: true,
  clientSource: true,
  clientId: true,
  clientSecret: true,
  clientRedirectUri: true,
  server: { select: mcpOAuthServerSelect },
} as const;

const readRow = (tx: Tx, where: { id: string } | { serverId: string }) => tx.mcpOAuthConnection.findFirst({ where, select: tokenSelect });
type Row = NonNullable<Awaited<ReturnType<typeof readRow>>>;

const NOT_CONNECTED = "Not connected: an Admin must connect the server's OAuth account (Connect on the server page)";
const NEEDS_REAUTH = "The OAuth connection must be authorized again: an Admin must reconnect it (Reconnect on the server page)";

function current(row: Row): string {
  if (row.status === "needs_reauth") throw new McpAuthRequiredError(NEEDS_REAUTH);
  if (row.status !== "active" || !row.accessToken) throw new McpAuthRequiredError(NOT_CONNECTED);
  return openToken(row.workspaceId, row.id, "accessToken", row.accessToken, MCP_OAUTH_TABLE);
}

/** The access token for a server of authType oauth; `rejected`: the server refused this one, refresh unless already replaced. */
export async function mcpAccessToken(serverId: string, rejected?: string): Promise<string> {
  const row = await readRow(db, { serverId });
  if (!row) throw new McpAuthRequiredError(NOT_CONNECTED);
  const token = current(row);
  const due = rejected ? rejected === token : needsRefresh(row);
  if (!due) return token;
  return singleFlight(`mcp:${row.id}`, () => refreshUnderLock(row.id, rejected));
}

type Outcome = { token: string } | { error: Error };

/** The refresh under the row lock, without the in-process sharing: what each process runs (exported for tests). */
export async function refreshUnderLock(id: string, rejected?: string): Promise<string> {
  // A configured client's secret is opened before the transaction: the credential store is read outside it.
  const pre = await readRow(db, { id });
  const configured = pre?.clientSource === "configured" ? await configuredClient(pre.server) : undefined;
  const outcome = await db.$transaction(
    async (tx): Promise<Outcome> => {
      await tx.$queryRaw`SELECT "id" FROM "McpOAuthConnection" WHERE "id" = ${id} FOR UPDATE`;
      const row = await readRow(tx, { id });
      if (!row) return { error: new McpAuthRequiredError(NOT_CONNECTED) };
      let token: string;
      try {
        token = current(row);
      } catch (e) {
        return { error: e as Error };
      }
      // Someone refreshed while we waited for the lock.
      const due = rejected ? rejected === token : needsRefresh(row);
      if (!due) return { token };
      const now = new Date();
      const stillValid = !row.expiresAt || row.expiresAt > now;
      if (row.retryAfter && row.retryAfter > now) {
        if (stillValid && !rejected) return { token };
        return { error: new Error("The authorization server's token endpoint is failing; the refresh is retried shortly") };
      }
      const dead = async (message: string): Promise<Outcome> => {
        // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
        await tx.mcpOAuthConnection.update({
          where: { id },
          data: { status: "needs_reauth", lastError: message, lastErrorAt: now, retryAfter: null },
          select: { id: true },
        });
        logger.warn("mcp oauth: the connection needs re-authorization", { serverId: row.server.id, reason: message });
        return { error: new McpAuthRequiredError(`${NEEDS_REAUTH} (${message})`) };
      };
      if (!row.refreshToken) {
        if (stillValid && !rejected) return { token };
        return dead("The token expired and the authorization server gave no refresh token");
      }
      try {
        const t = await refreshAuthorization(row.authServerUrl, {
          metadata: row.authServerMetadata as AuthorizationServerMetadata,
          clientInformation: await clientOf(row.server, row, row.clientSource === "configured" ? (configured ?? null) : undefined),
          refreshToken: openToken(row.workspaceId, row.id, "refreshToken", row.refreshToken, MCP_OAUTH_TABLE),
          resource: row.resource,
          fetchFn: oauthFetch(row.server),
        });
        // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
        await tx.mcpOAuthConnection.update({
          where: { id },
          data: {
            accessToken: sealToken(row.workspaceId, id, "accessToken", t.access_token, MCP_OAUTH_TABLE),
            // A rotated refresh token replaces the old one in this same transaction; an answer without one keeps it.
            ...(t.refresh_token ? { refreshToken: sealToken(row.workspaceId, id, "refreshToken", t.refresh_token, MCP_OAUTH_TABLE) } : {}),
            tokenType: (t.token_type || "bearer").toLowerCase(),
            tokenIssuedAt: now,
            expiresAt: t.expires_in !== undefined ? new Date(now.getTime() + t.expires_in * 1000) : null,
            ...(t.scope ? { scopes: t.scope.split(" ").filter(Boolean) } : {}),
            lastRefreshedAt: now,
            lastError: "",
            lastErrorAt: null,
            retryAfter: null,
            refreshFailures: 0,
          },
          select: { id: true },
        });
        return { token: t.access_token };
      } catch (e) {
        const failure = classifyOAuthFailure(e);
        if (failure.kind === "dead") return dead(failure.message);
        const failures = row.refreshFailures + 1;
        // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
        await tx.mcpOAuthConnection.update({
          where: { id },
          data: {
            lastError: failure.message,
            lastErrorAt: now,
            refreshFailures: failures,
            retryAfter: new Date(now.getTime() + refreshBackoffMs(failures)),
          },
          select: { id: true },
        });
        // The old tokens are kept; the access token is used while it lasts.
        if (stillValid && !rejected) return { token };
        return { error: new Error(`The OAuth token could not be refreshed: ${failure.message}`) };
      }
    },
    { maxWait: 30_000, timeout: 45_000 },
  );
  if ("error" in outcome) throw outcome.error;
  return outcome.token;
}
