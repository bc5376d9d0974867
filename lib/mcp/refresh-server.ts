import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { logger } from "../log";
import { describeMcpError } from "./client";
import { mcpTargetSelect, openServerSession } from "./session";

// Discovery: initialize (server name and version), list every tool (following pages), store them. A tool keeps
// its enabled flag across refreshes (matched by name); a tool the server no longer offers is removed.

const DISCOVERY_TIMEOUT_MS = 15_000;
const MAX_TOOLS = 1000;
const MAX_PAGES = 50;

export interface RefreshResult {
  ok: boolean;
  error?: string;
}

export async function refreshMcpServer(serverId: string): Promise<RefreshResult> {
  const server = await db.mcpServer.findFirst({
    where: { id: serverId },
    select: mcpTargetSelect,
  });
  if (!server) return { ok: false, error: "not found" };
  const at = new Date();
  let session;
  try {
    session = await openServerSession(server, { timeoutMs: DISCOVERY_TIMEOUT_MS });
    const info = session.client.getServerVersion();
    const tools: { name: string; description?: string; inputSchema: unknown }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await session.client.listTools(cursor ? { cursor } : {}, { timeout: DISCOVERY_TIMEOUT_MS });
      tools.push(...res.tools);
      cursor = res.nextCursor;
      if (!cursor || tools.length >= MAX_TOOLS) break;
    }
    await db.$transaction(async (tx) => {
      const names = tools.slice(0, MAX_TOOLS).map((t) => t.name);
      // registry-neutral: MCP tools are not in the gateway's routing snapshot.
      await tx.mcpTool.deleteMany({ where: { serverId, name: { notIn: names } } });
      for (const [position, t] of tools.slice(0, MAX_TOOLS).entries()) {
        const data = {
          description: (t.description ?? "").slice(0, 10_000),
          inputSchema: (t.inputSchema ?? {}) as Prisma.InputJsonValue,
          position,
        };
        // registry-neutral: MCP tools are not in the gateway's routing snapshot.
        await tx.mcpTool.upsert({
          where: { serverId_name: { serverId, name: t.name } },
          create: { serverId, name: t.name, ...data },
          update: data,
        });
      }
      // registry-neutral: MCP servers are not in the gateway's routing snapshot.
      await tx.mcpServer.update({
        where: { id: serverId },
        data: {
          status: "active",
          lastError: "",
          statusAt: at,
          serverName: info?.name?.slice(0, 200) ?? null,
          serverVersion: info?.version?.slice(0, 100) ?? null,
        },
        select: { id: true },
      });
    });
    return { ok: true };
  } catch (e) {
    const error = describeMcpError(e);
    logger.warn("mcp: discovery failed", { serverId, error });
    // registry-neutral: MCP servers are not in the gateway's routing snapshot.
    await db.mcpServer.updateMany({ where: { id: serverId }, data: { status: "failing", lastError: error, statusAt: at } });
    return { ok: false, error };
  } finally {
    await session?.close();
  }
}
