import { env } from "../env";

// The operator's switch for stdio MCP servers: SWITCHBOARD_MCP_STDIO turns them on, SWITCHBOARD_MCP_STDIO_COMMANDS
// lists the commands they may run. An entry is an absolute path (/usr/local/bin/mcp-fs) or a bare name (npx,
// uvx) that the child's PATH resolves; a server's command must equal one entry exactly, so a bare name never
// matches a path and the reverse. Checked when a server is saved and again before every process starts (an
// operator who takes a command off the list stops it at once).

export interface StdioPolicy {
  enabled: boolean;
  commands: string[];
}

let override: StdioPolicy | null = null;

export function parseStdioCommands(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(",")
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
}

export function stdioPolicy(): StdioPolicy {
  if (override) return override;
  return { enabled: env.SWITCHBOARD_MCP_STDIO, commands: parseStdioCommands(env.SWITCHBOARD_MCP_STDIO_COMMANDS) };
}

/** Tests switch the policy without restarting; null goes back to the environment. */
export function setStdioPolicyForTests(p: StdioPolicy | null) {
  override = p;
}

export const STDIO_DISABLED =
  "stdio MCP servers are switched off on this instance (the operator sets SWITCHBOARD_MCP_STDIO=1 to allow them)";

/** Why `command` may not run now, or null when it may. */
export function stdioRefusal(command: string): string | null {
  const p = stdioPolicy();
  if (!p.enabled) return STDIO_DISABLED;
  if (!p.commands.includes(command))
    return p.commands.length
      ? `The command ${command} is not allowed; the operator allows: ${p.commands.join(", ")} (SWITCHBOARD_MCP_STDIO_COMMANDS)`
      : `The command ${command} is not allowed: the operator has not listed any command in SWITCHBOARD_MCP_STDIO_COMMANDS`;
  return null;
}
