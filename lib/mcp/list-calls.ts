import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import type { McpCallDto, McpCallQuery } from "../schemas/mcp";
import { toPage, type Page } from "../schemas/zod";
import { requireMcpServerAccess } from "./access";

/** A server's tool calls, newest first (its activity tab). */
export async function listMcpCalls(opts: { actor: Actor; serverId: string; query: McpCallQuery }): Promise<Page<McpCallDto>> {
  const { actor, serverId, query } = opts;
  const { workspaceId } = await requireMcpServerAccess(actor, serverId, "integrations.read");
  const where: Prisma.McpCallWhereInput = { serverId, workspaceId };
  if (query.outcome) where.outcome = query.outcome;
  if (query.tool) where.tool = query.tool;
  const rows = await db.mcpCall.findMany({
    where,
    select: {
      id: true,
      tool: true,
      outcome: true,
      errorCode: true,
      latencyMs: true,
      endUserId: true,
      agent: true,
      keyId: true,
      actorId: true,
      createdAt: true,
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return {
    data: page.data.map((r) => ({ ...r, outcome: r.outcome as McpCallDto["outcome"], createdAt: r.createdAt.toISOString() })),
    nextCursor: page.nextCursor,
  };
}
