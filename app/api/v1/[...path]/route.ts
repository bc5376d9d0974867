// /api/v1/* - the OpenAI-compatible gateway, connector and MCP tool calls for `next dev`; the production server
// answers these paths with the same handlers straight from node:http (lib/dataplane/router.ts).
import { gatewayFetchHandler } from "@/lib/gateway/handler";
import { TOOL_CALL_PREFIX, toolCallFetchHandler } from "@/lib/tools/handler";
import { toolListFetchHandler } from "@/lib/dataplane/tools-list";
import { MCP_TOOL_PREFIX, mcpToolCallFetchHandler } from "@/lib/mcp/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = (request: Request) =>
  new URL(request.url).pathname === "/api/v1/tools" ? toolListFetchHandler(request) : gatewayFetchHandler(request);
export const POST = (request: Request) => {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith(TOOL_CALL_PREFIX)) return toolCallFetchHandler(request);
  if (pathname.startsWith(MCP_TOOL_PREFIX)) return mcpToolCallFetchHandler(request);
  return gatewayFetchHandler(request);
};
