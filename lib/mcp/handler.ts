import { fetchBinding, nodeBinding } from "../gateway/handler";
import { GatewayError } from "../gateway/errors";
import { callHandler } from "../dataplane/call-handler";
import { callMcpTool, McpCallError } from "./call-tool";

// POST /api/v1/mcp/{serverId}/tools/{name}: a lean data-plane handler (node:http under the custom server, and
// app/api/v1 under `next dev`). Workspace key, `X-User-Id`, `X-Agent-Id`, the gateway's error shape; the body is
// the tool's arguments, the answer the MCP CallToolResult `{ content, isError, structuredContent? }`.
// The caller's Authorization header is never forwarded: the server only gets its own configured headers.

export const MCP_TOOL_PREFIX = "/api/v1/mcp/";

/** The server id and tool name of /api/v1/mcp/{serverId}/tools/{name}; null for any other path. */
export function mcpToolTarget(pathname: string): { serverId: string; tool: string } | null {
  if (!pathname.startsWith(MCP_TOOL_PREFIX)) return null;
  const parts = pathname.slice(MCP_TOOL_PREFIX.length).replace(/\/$/, "").split("/");
  if (parts.length !== 3 || parts[1] !== "tools" || !parts[0] || !parts[2]) return null;
  try {
    const serverId = decodeURIComponent(parts[0]);
    const tool = decodeURIComponent(parts[2]);
    if (serverId.length > 64 || !/^[A-Za-z0-9_-]+$/.test(serverId) || tool.length > 256) return null;
    return { serverId, tool };
  } catch {
    return null;
  }
}

const ERRORS: Record<McpCallError["kind"], [number, string, string]> = {
  not_found: [404, "invalid_request_error", "not_found"],
  disabled: [403, "permission_error", "tool_disabled"],
  upstream: [502, "upstream_error", "mcp_server_error"],
  timeout: [504, "upstream_error", "mcp_server_timeout"],
  refused: [502, "upstream_error", "mcp_server_refused"],
  too_large: [502, "upstream_error", "result_too_large"],
  // OAuth: the workspace's connection to the server is missing or needs an Admin to reconnect it.
  not_connected: [502, "upstream_error", "mcp_server_not_connected"],
};

export const handleMcpToolCall = callHandler({
  target: mcpToolTarget,
  names: { body: "the tool's arguments", nested: "arguments are" },
  unavailable: "MCP servers cannot be read right now. Retry shortly.",
  failure: "mcp tool call failed",
  mapError: (e) => {
    if (!(e instanceof McpCallError)) return null;
    const [status, type, code] = ERRORS[e.kind];
    return new GatewayError(status, type, code, e.message);
  },
  call: ({ key, target, input, endUserId, agent, signal }) =>
    callMcpTool({ workspaceId: key.workspaceId, keyId: key.id, ...target, args: input, endUserId, agent, signal }),
});

export const mcpToolCallNodeHandler = nodeBinding(handleMcpToolCall);
export const mcpToolCallFetchHandler = fetchBinding(handleMcpToolCall);
