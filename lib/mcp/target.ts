import { withSecret } from "../credentials/use-credential";
import type { McpTarget } from "./client";
import { resolveHeaders, storedHeaders } from "./headers";
import { stdioRefusal } from "./stdio";

// How to reach a stored server: its URL and header secrets, or its command, arguments and environment secrets.
// A stdio server whose command the operator no longer allows (or with stdio switched off) is refused here,
// before any process starts.

export const targetSelect = {
  workspaceId: true,
  transport: true,
  url: true,
  internal: true,
  headers: true,
  command: true,
  args: true,
  env: true,
} as const;

export interface TargetRow {
  workspaceId: string;
  transport: string;
  url: string;
  internal: boolean;
  headers: unknown;
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
    for (const v of storedHeaders(row.env))
      env[v.name] = await withSecret({ credentialId: v.credentialId, workspaceId: row.workspaceId }, (x) => x);
    return { transport: "stdio", command, args: storedArgs(row.args), env };
  }
  return {
    transport: row.transport as "streamable-http" | "sse",
    url: row.url,
    internal: row.internal,
    headers: await resolveHeaders(row.workspaceId, storedHeaders(row.headers)),
  };
}
