import { db } from "../db/client";
import { withLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { refreshMcpServer } from "./refresh-server";
import { liveSession } from "./watcher";

// Discovers every MCP server's tools again on a schedule, on one app instance at a time: a server that went
// down shows as failing, one that came back as active, and new or removed tools appear.
const EVERY_MS = 5 * 60_000;

export async function refreshAllMcpServers(): Promise<number> {
  const servers = await db.mcpServer.findMany({ select: { id: true }, orderBy: { statusAt: { sort: "asc", nulls: "first" } }, take: 500 });
  // A watched server is refreshed through its live session (a stdio server's process is not started twice).
  for (const s of servers) await refreshMcpServer(s.id, { session: liveSession(s.id) });
  return servers.length;
}

export const mcpRefreshJob: ScheduledJob = {
  name: "mcp.refresh",
  everyMs: EVERY_MS,
  async run() {
    await withLease("mcp.refresh", 10 * 60_000, () => refreshAllMcpServers());
  },
};
