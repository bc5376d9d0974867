import { httpStatusOf, openMcpSession, type McpSession } from "./client";
import { resolveHeaders, storedHeaders } from "./headers";
import { mcpAccessToken } from "./oauth-token";

// A session with a registered server, authenticated as the server is configured: its stored headers (opened
// for this session), and for OAuth the workspace connection's bearer token. A token the server refuses (401) is
// refreshed once and the session opened again. Nothing from the caller is ever forwarded.

export interface McpServerTarget {
  id: string;
  workspaceId: string;
  url: string;
  transport: string;
  internal: boolean;
  headers: unknown;
  authType: string;
}

export const mcpTargetSelect = {
  id: true,
  workspaceId: true,
  url: true,
  transport: true,
  internal: true,
  headers: true,
  authType: true,
} as const;

export async function openServerSession(server: McpServerTarget, opts: { timeoutMs: number; streamMs?: number }): Promise<McpSession> {
  const headers = server.authType === "none" ? {} : await resolveHeaders(server.workspaceId, storedHeaders(server.headers));
  const open = (bearer?: string) =>
    openMcpSession(
      {
        url: server.url,
        transport: server.transport as "streamable-http" | "sse",
        internal: server.internal,
        headers: bearer ? { ...headers, Authorization: `Bearer ${bearer}` } : headers,
      },
      opts,
    );
  if (server.authType !== "oauth") return open();
  const token = await mcpAccessToken(server.id);
  try {
    return await open(token);
  } catch (e) {
    if (httpStatusOf(e) !== 401) throw e;
    return open(await mcpAccessToken(server.id, token));
  }
}
