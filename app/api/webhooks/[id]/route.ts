// POST /api/webhooks/{id} - incoming webhooks for `next dev`; the production server answers this path with the
// same handler straight from node:http (lib/dataplane/router.ts).
import { webhookFetchHandler } from "@/lib/webhooks/ingress";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = (request: Request) => webhookFetchHandler(request);
