import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { AgentDto, AgentKind } from "../schemas/agents";
import { toPage, type ListQuery } from "../schemas/zod";
import { agentSelect, agentTable, connectorCounts, deliveryFor, toAgentDto } from "./agent-table";

/** A workspace's workers, workflows or skills by name; search by name or description. */
export async function listAgents(opts: {
  actor: Actor;
  kind: AgentKind;
  query: ListQuery & { workspaceId: string };
}): Promise<{ data: AgentDto[]; nextCursor: string | null }> {
  const { actor, kind, query } = opts;
  await requireWorkspacePermission(actor, query.workspaceId, "integrations.read");
  const where: Record<string, unknown> = { workspaceId: query.workspaceId };
  if (query.q) {
    where.OR = [{ name: { contains: query.q, mode: "insensitive" } }, { description: { contains: query.q, mode: "insensitive" } }];
  }
  if (query.cursor) {
    // A cursor of another workspace or kind pages nothing rather than failing inside Prisma.
    const c = await agentTable(db, kind).findFirst({ where: { id: query.cursor, workspaceId: query.workspaceId }, select: agentSelect });
    if (!c) return { data: [], nextCursor: null };
  }
  const rows = await agentTable(db, kind).findMany({
    where,
    select: agentSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  const counts = await connectorCounts(
    db,
    kind,
    page.data.map((r) => r.id),
  );
  const delivery = await deliveryFor(
    db,
    kind,
    page.data.map((r) => r.id),
  );
  return {
    data: page.data.map((r) => toAgentDto(kind, r, { connectorCount: counts.get(r.id) ?? 0, delivery: delivery.get(r.id) })),
    nextCursor: page.nextCursor,
  };
}
