import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import type { McpServerDto, McpToolDto } from "../schemas/mcp";
import { requireMcpServerAccess } from "./access";
import { getMcpServerIn } from "./server-dto";
import { refreshMcpServer } from "./refresh-server";

const toolSelect = { name: true, description: true, inputSchema: true, enabled: true } as const;

/** The tools the server offered at its last discovery, in its own order. */
export async function listMcpTools(opts: { actor: Actor; serverId: string }): Promise<{ data: McpToolDto[] }> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.read");
  const rows = await db.mcpTool.findMany({
    where: { serverId: opts.serverId, server: { workspaceId } },
    select: toolSelect,
    orderBy: [{ position: "asc" }, { name: "asc" }],
  });
  return { data: rows.map((r) => ({ ...r, inputSchema: (r.inputSchema ?? {}) as Record<string, unknown> })) };
}

export async function setMcpToolEnabled(opts: {
  actor: Actor;
  serverId: string;
  name: string;
  enabled: boolean;
  requestId?: string;
}): Promise<McpToolDto> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  return db.$transaction(async (tx) => {
    const tool = await tx.mcpTool.findFirst({
      where: { serverId: opts.serverId, name: opts.name, server: { workspaceId } },
      select: { id: true, enabled: true, server: { select: { name: true } } },
    });
    if (!tool) throw notFound("Tool");
    if (tool.enabled !== opts.enabled) {
      // registry-neutral: MCP tools are not in the gateway's routing snapshot.
      await tx.mcpTool.update({ where: { id: tool.id }, data: { enabled: opts.enabled }, select: { id: true } });
      await recordAudit(tx, {
        actor: opts.actor,
        action: "mcp_tool.update",
        targetType: "mcp_server",
        targetId: opts.serverId,
        targetLabel: `${tool.server.name}/${opts.name}`,
        workspaceId,
        changes: { enabled: { from: tool.enabled, to: opts.enabled } },
        requestId: opts.requestId,
      });
    }
    const row = await tx.mcpTool.findFirstOrThrow({ where: { id: tool.id }, select: toolSelect });
    return { ...row, inputSchema: (row.inputSchema ?? {}) as Record<string, unknown> };
  });
}

/** Discovers the server's tools again now, and answers the server with its new status. */
export async function refreshMcpServerFor(opts: { actor: Actor; serverId: string; requestId?: string }): Promise<McpServerDto> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  await refreshMcpServer(opts.serverId);
  const dto = await getMcpServerIn(db, { id: opts.serverId, workspaceId });
  if (!dto) throw notFound("MCP server");
  return dto;
}
