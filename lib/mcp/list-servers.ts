import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { McpServerDto, McpServerQuery } from "../schemas/mcp";
import { stdioPolicy, type StdioPolicy } from "./stdio";
import { toPage, type Page } from "../schemas/zod";
import { requireMcpServerAccess } from "./access";
import { getMcpServerIn, mcpServerSelect, toMcpServerDto } from "./server-dto";

/** A workspace's MCP servers by name; search by name, URL, stdio command or the server's own name; filter by status. */
export async function listMcpServers(opts: { actor: Actor; query: McpServerQuery }): Promise<Page<McpServerDto> & { stdio: StdioPolicy }> {
  const { actor, query } = opts;
  await requireWorkspacePermission(actor, query.workspaceId, "integrations.read");
  const and: Prisma.McpServerWhereInput[] = [{ workspaceId: query.workspaceId }];
  if (query.status) and.push({ status: query.status });
  if (query.q)
    and.push({
      OR: [
        { name: { contains: query.q, mode: "insensitive" } },
        { url: { contains: query.q, mode: "insensitive" } },
        { command: { contains: query.q, mode: "insensitive" } },
        { serverName: { contains: query.q, mode: "insensitive" } },
      ],
    });
  const rows = await db.mcpServer.findMany({
    where: { AND: and },
    select: mcpServerSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return {
    data: await Promise.all(page.data.map((r) => toMcpServerDto(db, r))),
    nextCursor: page.nextCursor,
    // The operator's switch, so the register dialog offers stdio only when it may be used.
    stdio: stdioPolicy(),
  };
}

export async function getMcpServer(opts: { actor: Actor; serverId: string }): Promise<McpServerDto> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.read");
  const dto = await getMcpServerIn(db, { id: opts.serverId, workspaceId });
  if (!dto) throw notFound("MCP server");
  return dto;
}
