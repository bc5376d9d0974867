import crypto from "node:crypto";

// Tool names a model sees must be unique in one list, at most 64 characters of [a-zA-Z0-9_-] (OpenAI's rule).
// Two connectors of the same provider offer the same operations, so each name carries its connector's name (or,
// for an MCP server's tool, the server's name: two servers' `search` tools do not collide). MCP tool names may
// hold characters outside the rule (`.`, `/`): those become "_".

export const TOOL_NAME_MAX = 64;
const PREFIX_MAX = 24;
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** A connector name as a tool-name prefix: invalid characters become "_", runs collapse, at most 24 characters. */
export function toolPrefix(connectorName: string): string {
  const s = connectorName
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^a-zA-Z0-9_-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[_-]+|[_-]+$/g, "")
    .slice(0, PREFIX_MAX)
    .replace(/[_-]+$/, "");
  return s || "connector";
}

const shortHash = (s: string) => crypto.createHash("sha256").update(s).digest("hex").slice(0, 8);

/**
 * Names for the tools in this order: `<connector or server>__<tool>`; too long, or taken by an earlier entry (two connector
 * names that sanitize alike), it is cut and ends in a hash of the connector id and tool, so the same list
 * always gets the same names.
 */
export function assignToolNames(entries: { connectorId: string; connectorName: string; toolName: string }[]): string[] {
  const taken = new Set<string>();
  return entries.map((e) => {
    const full = `${toolPrefix(e.connectorName)}__${e.toolName.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
    const hashed = (extra: string) => {
      const tail = `_${shortHash(`${e.connectorId}/${e.toolName}${extra}`)}`;
      return full.slice(0, TOOL_NAME_MAX - tail.length) + tail;
    };
    let name = full.length <= TOOL_NAME_MAX ? full : hashed("");
    if (taken.has(name)) name = hashed("");
    for (let i = 2; taken.has(name); i++) name = hashed(`#${i}`);
    taken.add(name);
    return name;
  });
}
