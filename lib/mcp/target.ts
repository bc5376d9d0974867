import { withSecret } from "../credentials/use-credential";
import { isLoaderEnvName } from "../schemas/mcp";
import { openMcpSession, type McpSession, type McpTarget, type SessionOptions } from "./client";
import { resolveHeaders, storedHeaders } from "./headers";
import { mcpAccessToken } from "./oauth-token";
import { stdioRefusal } from "./stdio";

// How to reach a stored server: its URL and header secrets (and for OAuth the workspace connection's bearer
// token), or its command, arguments and environment secrets. Every session with a registered server (discovery,
// tool calls, resources and prompts, the watcher's live sessions, the aggregated endpoint's calls) is opened from
// here. A stdio server whose command the operator no longer allows (or with stdio switched off) is refused before
// any process starts; an OAuth server without a usable connection before any request (McpAuthRequiredError).

export const targetSelect = {
  id: true,
  workspaceId: true,
  transport: true,
  url: true,
  internal: true,
  headers: true,
  authType: true,
  command: true,
  args: true,
  env: true,
} as const;

export interface TargetRow {
  id: string;
  workspaceId: string;
  transport: string;
  url: string;
  internal: boolean;
  headers: unknown;
  authType: string;
  command: string | null;
  args: unknown;
  env: unknown;
}

export class StdioRefusedError extends Error {}

export const storedArgs = (raw: unknown): string[] => (Array.isArray(raw) ? raw.filter((a): a is string => typeof a === "string") : []);

export async function resolveTarget(row: TargetRow): Promise<McpTarget> {
  if (row.transport === "stdio") {
    const command = row.command ?? "";
    const refused = stdioRefusal(command);
    if (refused) throw new StdioRefusedError(refused);
    const env: Record<string, string> = {};
    for (const v of storedHeaders(row.env)) {
      // Stored before the name was refused by the schema: never handed to the child.
      if (isLoaderEnvName(v.name)) continue;
      env[v.name] = await withSecret({ credentialId: v.credentialId, workspaceId: row.workspaceId }, (x) => x);
    }
    return { transport: "stdio", command, args: storedArgs(row.args), env };
  }
  const headers = await resolveHeaders(row.workspaceId, storedHeaders(row.headers));
  // OAuth (HTTP only): a fresh token for each session (refreshed first when about to expire); one the server
  // refuses mid-session is renewed through the same single-flight refresh.
  const bearer =
    row.authType === "oauth"
      ? { token: await mcpAccessToken(row.id), renew: (rejected: string) => mcpAccessToken(row.id, rejected) }
      : undefined;
  return {
    transport: row.transport as "streamable-http" | "sse",
    url: row.url,
    internal: row.internal,
    headers,
    ...(bearer ? { bearer } : {}),
  };
}

/** A session with a stored server, authenticated as it is configured. */
export async function openServerSession(row: TargetRow, opts: SessionOptions): Promise<McpSession> {
  return openMcpSession(await resolveTarget(row), opts);
}
