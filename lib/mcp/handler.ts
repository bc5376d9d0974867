import { authenticate, fetchBinding, nodeBinding, type GwRequest } from "../gateway/handler";
import { GatewayError, invalidRequest } from "../gateway/errors";
import type { GwResponse } from "../gateway/pipeline";
import { touchVirtualKey } from "../gateway/snapshot";
import { depthProblem, MAX_JSON_DEPTH } from "../http/json-depth";
import { isDatabaseUnavailable } from "../db/errors";
import { logger } from "../log";
import { callMcpTool, McpCallError } from "./call-tool";

// POST /api/v1/mcp/{serverId}/tools/{name}: a lean data-plane handler (node:http under the custom server, and
// app/api/v1 under `next dev`). Workspace key, `X-User-Id`, `X-Agent-Id`, the gateway's error shape; the body is
// the tool's arguments, the answer the MCP CallToolResult `{ content, isError, structuredContent? }`.
// The caller's Authorization header is never forwarded: the server only gets its own configured headers.

export const MCP_TOOL_PREFIX = "/api/v1/mcp/";
const MAX_INPUT_BYTES = 4 * 1024 * 1024;

function send(res: GwResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}) {
  const data = JSON.stringify(body);
  res.head(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(data)),
    "cache-control": "no-store",
    "x-request-id": requestId,
    ...extra,
  });
  res.end(data);
}

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

async function readArguments(req: GwRequest): Promise<Record<string, unknown>> {
  const tooLarge = () => new GatewayError(413, "invalid_request_error", "request_too_large", "The request body is larger than 4 MB.");
  if (Number(req.header("content-length") ?? "0") > MAX_INPUT_BYTES) throw tooLarge();
  const buf = await req.readBody(MAX_INPUT_BYTES);
  if (buf === null) throw tooLarge();
  if (!buf.length) return {};
  let input: unknown;
  try {
    input = JSON.parse(buf.toString("utf8"));
  } catch {
    throw invalidRequest("We could not parse the JSON body of your request.", "invalid_json");
  }
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw invalidRequest("The request body must be a JSON object: the tool's arguments.", "invalid_json");
  const deep = depthProblem(input);
  if (deep)
    throw invalidRequest(
      `The arguments are nested more than ${MAX_JSON_DEPTH} levels deep at '${deep.path}'.`,
      "nesting_too_deep",
      deep.path,
    );
  return input as Record<string, unknown>;
}

const ERRORS: Record<McpCallError["kind"], [number, string, string]> = {
  not_found: [404, "invalid_request_error", "not_found"],
  disabled: [403, "permission_error", "tool_disabled"],
  upstream: [502, "upstream_error", "mcp_server_error"],
  timeout: [504, "upstream_error", "mcp_server_timeout"],
  refused: [502, "upstream_error", "mcp_server_refused"],
  too_large: [502, "upstream_error", "result_too_large"],
};

export async function handleMcpToolCall(req: GwRequest, res: GwResponse): Promise<void> {
  try {
    const target = mcpToolTarget(req.pathname);
    if (!target) throw new GatewayError(404, "invalid_request_error", "unknown_url", `Unknown request URL: ${req.method} ${req.pathname}.`);
    if (req.method !== "POST") throw new GatewayError(405, "invalid_request_error", "method_not_allowed", "Use POST to call a tool.");
    const { key } = await authenticate(req);
    const args = await readArguments(req);
    touchVirtualKey(key.id);
    const abort = new AbortController();
    const onGone = () => abort.abort();
    req.signal.addEventListener("abort", onGone, { once: true });
    try {
      const result = await callMcpTool({
        workspaceId: key.workspaceId,
        keyId: key.id,
        serverId: target.serverId,
        tool: target.tool,
        args,
        endUserId: req.header("x-user-id") || null,
        agent: req.header("x-agent-id") || null,
        signal: abort.signal,
      });
      send(res, 200, result, req.requestId);
    } finally {
      req.signal.removeEventListener("abort", onGone);
    }
  } catch (e) {
    if (e instanceof McpCallError) {
      const [status, type, code] = ERRORS[e.kind];
      return send(res, status, new GatewayError(status, type, code, e.message).toJSON(), req.requestId);
    }
    if (e instanceof GatewayError) return send(res, e.status, e.toJSON(), req.requestId);
    if (isDatabaseUnavailable(e)) {
      const down = new GatewayError(
        503,
        "service_unavailable",
        "database_unavailable",
        "MCP servers cannot be read right now. Retry shortly.",
      );
      return send(res, 503, down.toJSON(), req.requestId, { "retry-after": "5" });
    }
    logger.error("mcp tool call failed", { requestId: req.requestId, error: e });
    send(res, 500, new GatewayError(500, "server_error", "internal_error", "The tool call could not be handled.").toJSON(), req.requestId);
  }
}

export const mcpToolCallNodeHandler = nodeBinding(handleMcpToolCall);
export const mcpToolCallFetchHandler = fetchBinding(handleMcpToolCall);
