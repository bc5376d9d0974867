import type { IncomingMessage, ServerResponse } from "node:http";
import { healthReport } from "../health";
import { gatewayNodeHandler } from "../gateway/handler";
import { TOOL_CALL_PREFIX, toolCallNodeHandler } from "../tools/handler";
import { toolListNodeHandler } from "./tools-list";
import { MCP_TOOL_PREFIX } from "../mcp/handler";
import { MCP_GATEWAY_PATH, MCP_WORKER_PREFIX, mcpGatewayNodeHandler, mcpPostNodeHandler } from "../mcp/gateway-server";
import { EVENTS_PATH, EVENTS_PREFIX, eventsNodeHandler } from "../webhooks/queue-handler";

// Lean handlers for data-plane paths: served by the custom server straight from node:http, without Next's
// per-request pipeline. Paths are matched on the normalised pathname the server dispatches, so what is
// authorized is what is served.
export type LeanHandler = (req: IncomingMessage, res: ServerResponse, ctx: { requestId: string; pathname: string }) => Promise<void>;

interface LeanRoute {
  method: string;
  /** Exact path, or a prefix ending in "/". */
  path: string;
  handler: LeanHandler;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(data),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(data);
}

const health: LeanHandler = async (_req, res) => {
  const report = await healthReport();
  sendJson(res, report.database.ok ? 200 : 503, report);
};

const ROUTES: LeanRoute[] = [
  { method: "GET", path: "/api/health", handler: health },
  // Before the /api/v1/ prefix: the first match serves.
  { method: "POST", path: TOOL_CALL_PREFIX, handler: toolCallNodeHandler },
  // Switchboard's own MCP server (/api/v1/mcp, /api/v1/mcp/workers/{id}); POSTs under /api/v1/mcp/ are either a
  // worker's virtual server or a tool call of one server (/api/v1/mcp/{serverId}/tools/{name}).
  { method: "POST", path: MCP_GATEWAY_PATH, handler: mcpGatewayNodeHandler },
  { method: "GET", path: MCP_GATEWAY_PATH, handler: mcpGatewayNodeHandler },
  { method: "DELETE", path: MCP_GATEWAY_PATH, handler: mcpGatewayNodeHandler },
  { method: "POST", path: MCP_TOOL_PREFIX, handler: mcpPostNodeHandler },
  { method: "GET", path: MCP_WORKER_PREFIX, handler: mcpGatewayNodeHandler },
  { method: "DELETE", path: MCP_WORKER_PREFIX, handler: mcpGatewayNodeHandler },
  { method: "GET", path: "/api/v1/tools", handler: toolListNodeHandler },
  // The webhook event queue: the list (exact path) and /{id}/ack|nack|result (prefix), before /api/v1/.
  { method: "GET", path: EVENTS_PATH, handler: eventsNodeHandler },
  { method: "POST", path: EVENTS_PREFIX, handler: eventsNodeHandler },
  { method: "POST", path: "/api/v1/", handler: gatewayNodeHandler },
  { method: "GET", path: "/api/v1/", handler: gatewayNodeHandler },
];

/** Registers another lean handler (the gateway registers /api/v1/ here). */
export function registerLeanRoute(route: LeanRoute) {
  ROUTES.push(route);
}

export function matchLeanRoute(method: string, pathname: string): LeanHandler | null {
  for (const r of ROUTES) {
    const hit = r.path.endsWith("/") ? pathname.startsWith(r.path) : pathname === r.path;
    if (hit && (r.method === method || (r.method === "GET" && method === "HEAD"))) return r.handler;
  }
  return null;
}
