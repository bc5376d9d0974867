import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isAppError, notFound } from "../errors";
import type { Permission } from "../auth/permissions";
import { logger } from "../log";
import { requireConnectorAccess } from "../connectors/access";
import type { ConnectionDto, ConnectionQuery } from "../schemas/oauth-connections";
import { toPage, type Page } from "../schemas/zod";
import { revokeToken } from "./client";
import { endpointFor } from "./endpoint-for";
import { openToken } from "./token-seal";

// End users' connections of a connector (the Connections tab, the admin API). Never a token.

const select = {
  id: true,
  endUserId: true,
  status: true,
  scopes: true,
  expiresAt: true,
  lastRefreshedAt: true,
  lastError: true,
} satisfies Prisma.OAuthConnectionSelect;

const toDto = (r: Prisma.OAuthConnectionGetPayload<{ select: typeof select }>): ConnectionDto => ({
  ...r,
  status: r.status as ConnectionDto["status"],
  expiresAt: r.expiresAt?.toISOString() ?? null,
  lastRefreshedAt: r.lastRefreshedAt?.toISOString() ?? null,
});

/**
 * Who may see or disconnect which connections: Builders and Admins (the permission) all of a connector's; anyone
 * else of the workspace who may see the connector only their own (end user id = their email).
 */
async function connectionScope(
  actor: Actor,
  connectorId: string,
  permission: Permission,
): Promise<{ workspaceId: string; ownOnly: string | null }> {
  try {
    const { workspaceId } = await requireConnectorAccess(actor, connectorId, permission);
    return { workspaceId, ownOnly: null };
  } catch (e) {
    if (actor.type !== "user" || !isAppError(e) || e.code !== "forbidden") throw e;
    const { workspaceId } = await requireConnectorAccess(actor, connectorId, "connections.own");
    return { workspaceId, ownOnly: actor.email };
  }
}

export async function listConnections(opts: { actor: Actor; connectorId: string; query: ConnectionQuery }): Promise<Page<ConnectionDto>> {
  const { actor, connectorId, query } = opts;
  const { workspaceId, ownOnly } = await connectionScope(actor, connectorId, "integrations.read");
  const where: Prisma.OAuthConnectionWhereInput = { connectorId, workspaceId };
  if (ownOnly) where.AND = [{ endUserId: { equals: ownOnly, mode: "insensitive" } }];
  if (query.status) where.status = query.status;
  if (query.q) where.endUserId = { contains: query.q, mode: "insensitive" };
  const rows = await db.oAuthConnection.findMany({
    where,
    select,
    orderBy: [{ endUserId: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map(toDto), nextCursor: page.nextCursor };
}

/**
 * Disconnect: revoke at the provider when the connector has a revocation URL (best effort: a provider that is
 * down does not keep the tokens here), then delete the connection and its tokens.
 */
export async function deleteConnection(opts: {
  actor: Actor;
  connectorId: string;
  connectionId: string;
  requestId?: string;
}): Promise<{ revoked: boolean }> {
  const { actor, connectorId, connectionId } = opts;
  const scope = await connectionScope(actor, connectorId, "integrations.manage");
  const row = await db.oAuthConnection.findFirst({
    where: {
      id: connectionId,
      connectorId,
      workspaceId: scope.workspaceId,
      ...(scope.ownOnly ? { endUserId: { equals: scope.ownOnly, mode: "insensitive" as const } } : {}),
    },
    select: {
      id: true,
      endUserId: true,
      workspaceId: true,
      accessToken: true,
      refreshToken: true,
      connector: { select: { name: true, workspaceId: true, internal: true, authSettings: true } },
    },
  });
  if (!row) throw notFound("Connection");
  let revoked = false;
  const endpoint = await endpointFor(row.connector).catch(() => null);
  if (endpoint?.settings.revocationUrl) {
    try {
      // Revoking the refresh token ends the grant; the access token too where there is no refresh token.
      if (row.refreshToken)
        await revokeToken(endpoint, openToken(row.workspaceId, row.id, "refreshToken", row.refreshToken), "refresh_token");
      else await revokeToken(endpoint, openToken(row.workspaceId, row.id, "accessToken", row.accessToken), "access_token");
      revoked = true;
    } catch (e) {
      logger.warn("oauth revocation failed; deleting the tokens anyway", {
        connectionId: row.id,
        error: e instanceof Error ? e.message : "error",
      });
    }
  }
  await db.$transaction(async (tx) => {
    // registry-neutral: OAuth connections are not in the gateway's routing snapshot.
    await tx.oAuthConnection.deleteMany({ where: { id: row.id, connectorId, workspaceId: scope.workspaceId } });
    await recordAudit(tx, {
      actor,
      action: "connector.connection.delete",
      targetType: "connector",
      targetId: connectorId,
      targetLabel: row.connector.name,
      workspaceId: scope.workspaceId,
      changes: { endUserId: { from: row.endUserId, to: null }, revokedAtProvider: { from: null, to: revoked } },
      requestId: opts.requestId,
    });
  });
  return { revoked };
}
