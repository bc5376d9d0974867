import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { ConnectorDto, ConnectorQuery } from "../schemas/connectors";
import { toPage } from "../schemas/zod";
import { visibleConnectors } from "./access";
import { connectorSelect, toConnectorDtos } from "./connector-dto";

/** A workspace's connectors by name; search by name, description or provider; filter by provider and status. */
export async function listConnectors(opts: {
  actor: Actor;
  query: ConnectorQuery;
}): Promise<{ data: ConnectorDto[]; nextCursor: string | null }> {
  const { actor, query } = opts;
  const role = await requireWorkspacePermission(actor, query.workspaceId, "integrations.read");
  const and: Prisma.ConnectorWhereInput[] = [{ workspaceId: query.workspaceId }, visibleConnectors(actor, role)];
  if (query.providerId) and.push({ providerId: query.providerId });
  if (query.status) and.push({ status: query.status });
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
    select: connectorSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: await toConnectorDtos(db, page.data), nextCursor: page.nextCursor };
}
