// /api/v1/* - the OpenAI-compatible gateway, connector and MCP tool calls, Switchboard's MCP server, the webhook event queue for `next dev`; the production server
// answers these paths with the same handlers straight from node:http (lib/dataplane/router.ts).
import { gatewayFetchHandler } from "@/lib/gateway/handler";
import { TOOL_CALL_PREFIX, toolCallFetchHandler } from "@/lib/tools/handler";
import { toolListFetchHandler } from "@/lib/dataplane/tools-list";
import { MCP_TOOL_PREFIX } from "@/lib/mcp/handler";
import { gatewayTarget, mcpGatewayFetchHandler, mcpPostFetchHandler } from "@/lib/mcp/gateway-server";
import { EVENTS_PATH, EVENTS_PREFIX, eventsFetchHandler } from "@/lib/webhooks/queue-handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = (request: Request) => {
  const { pathname } = new URL(request.url);
  if (pathname === "/api/v1/tools") return toolListFetchHandler(request);
  if (gatewayTarget(pathname)) return mcpGatewayFetchHandler(request);
  if (pathname === EVENTS_PATH) return eventsFetchHandler(request);
  return gatewayFetchHandler(request);
};
export const DELETE = (request: Request) => mcpGatewayFetchHandler(request);
export const POST = (request: Request) => {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith(TOOL_CALL_PREFIX)) return toolCallFetchHandler(request);
  if (gatewayTarget(pathname) || pathname.startsWith(MCP_TOOL_PREFIX)) return mcpPostFetchHandler(request);
  if (pathname.startsWith(EVENTS_PREFIX)) return eventsFetchHandler(request);
  return gatewayFetchHandler(request);
};
