// /api/v1/* - the OpenAI-compatible gateway for `next dev`; the production server answers these paths with
// the same handler straight from node:http (lib/dataplane/router.ts).
import { gatewayFetchHandler } from "@/lib/gateway/handler";
import { toolListFetchHandler } from "@/lib/dataplane/tools-list";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = (request: Request) =>
  new URL(request.url).pathname === "/api/v1/tools" ? toolListFetchHandler(request) : gatewayFetchHandler(request);
export const POST = gatewayFetchHandler;
