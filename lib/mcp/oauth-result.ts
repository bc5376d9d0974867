import { db } from "../db/client";

/** The console page of a server (where the OAuth callback returns the Admin). */
export async function mcpServerPagePath(workspaceId: string, serverId: string): Promise<string> {
  const ws = await db.workspace.findFirst({ where: { id: workspaceId }, select: { slug: true } });
  return `/w/${encodeURIComponent(ws?.slug ?? workspaceId)}/providers/mcp/${encodeURIComponent(serverId)}`;
}
