// /api/v1/* - the OpenAI-compatible gateway for `next dev`; the production server answers these paths with
// the same handler straight from node:http (lib/dataplane/router.ts).
import { gatewayFetchHandler } from "@/lib/gateway/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = gatewayFetchHandler;
export const POST = gatewayFetchHandler;
