// /api/v1/* - the OpenAI-compatible gateway and connector tool calls for `next dev`; the production server
// answers these paths with the same handlers straight from node:http (lib/dataplane/router.ts).
import { gatewayFetchHandler } from "@/lib/gateway/handler";
import { TOOL_CALL_PREFIX, toolCallFetchHandler } from "@/lib/tools/handler";
import { toolListFetchHandler } from "@/lib/dataplane/tools-list";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = (request: Request) =>
  new URL(request.url).pathname === "/api/v1/tools" ? toolListFetchHandler(request) : gatewayFetchHandler(request);
export const POST = (request: Request) =>
  new URL(request.url).pathname.startsWith(TOOL_CALL_PREFIX) ? toolCallFetchHandler(request) : gatewayFetchHandler(request);
