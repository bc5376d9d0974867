import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { forbidden, notFound } from "../errors";
import { requireConnectorAccess, visibleConnectors } from "../connectors/access";
import { OAUTH_AUTH_MODES } from "../connectors/auth/registry";
import type { MyConnectorDto, MyConnectorQuery } from "../schemas/oauth-connections";
import { toPage, type Page } from "../schemas/zod";
import { readClientSettings } from "./settings";

// A signed-in person's own view of connectors (what a Member sees on "Your Connectors"): the connectors they may
// see (lib/connectors/access.ts visibleConnectors: for a Member the public ones) that act on an end user's behalf
// (oauth-user, hybrid), each with only what consenting needs (name, provider, description, scopes) and the
// person's own connection (end user id = their email). No settings, no secrets, no one else's connection.

const select = (email: string) =>
  ({
    id: true,
    workspaceId: true,
    name: true,
    description: true,
    authMode: true,
    authSettings: true,
    provider: { select: { id: true, name: true } },
    oauthConnections: {
      where: { endUserId: { equals: email, mode: "insensitive" } },
      select: { id: true, endUserId: true, status: true, scopes: true, expiresAt: true, lastRefreshedAt: true, lastError: true },
      orderBy: { createdAt: "asc" },
      take: 1,
    },
  }) satisfies Prisma.ConnectorSelect;

type Row = Prisma.ConnectorGetPayload<{ select: ReturnType<typeof select> }>;

function toDto(r: Row): MyConnectorDto {
  const c = r.oauthConnections[0];
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    name: r.name,
    description: r.description,
    provider: r.provider,
    authMode: r.authMode as MyConnectorDto["authMode"],
    scopes: readClientSettings((r.authSettings ?? {}) as Record<string, unknown>).scopes,
    connection: c
      ? {
          ...c,
          status: c.status as NonNullable<MyConnectorDto["connection"]>["status"],
          expiresAt: c.expiresAt?.toISOString() ?? null,
          lastRefreshedAt: c.lastRefreshedAt?.toISOString() ?? null,
        }
      : null,
  };
}

/** Only a signed-in person has an end user id of their own (their email); an admin token has none. */
function ownEmail(actor: Actor): string {
  if (actor.type !== "user") throw forbidden("Only a signed-in person has connections of their own");
  return actor.email;
}

const endUserModes: Prisma.ConnectorWhereInput = { authMode: { in: [...OAUTH_AUTH_MODES] } };

export async function listMyConnectors(opts: { actor: Actor; query: MyConnectorQuery }): Promise<Page<MyConnectorDto>> {
  const { actor, query } = opts;
  const email = ownEmail(actor);
  const role = await requireWorkspacePermission(actor, query.workspaceId, "connections.own");
  const and: Prisma.ConnectorWhereInput[] = [{ workspaceId: query.workspaceId }, visibleConnectors(actor, role), endUserModes];
  if (query.q) {
    and.push({
      OR: [
        { name: { contains: query.q, mode: "insensitive" } },
        { description: { contains: query.q, mode: "insensitive" } },
        { provider: { name: { contains: query.q, mode: "insensitive" } } },
      ],
    });
  }
  const rows = await db.connector.findMany({
    where: { AND: and },
    select: select(email),
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map(toDto), nextCursor: page.nextCursor };
}

/** One connector of the own view; one the person may not see, or that does not act for end users, is "not found". */
export async function getMyConnector(opts: { actor: Actor; connectorId: string }): Promise<MyConnectorDto> {
  const email = ownEmail(opts.actor);
  const scope = await requireConnectorAccess(opts.actor, opts.connectorId, "connections.own");
  const row = await db.connector.findFirst({ where: { AND: [scope.where, endUserModes] }, select: select(email) });
  if (!row) throw notFound("Connector");
  return toDto(row);
}
