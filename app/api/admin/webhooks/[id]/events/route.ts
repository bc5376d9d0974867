// GET /api/admin/webhooks/{id}/events - the endpoint's event log, newest first
import { adminRoute } from "@/lib/http/admin-route";
import { webhookEventListQuerySchema, webhookEventPageSchema } from "@/lib/schemas/webhooks";
import { listWebhookEvents } from "@/lib/webhooks/events";

export const GET = adminRoute(
  {
    summary: "An endpoint's events, newest first: verified or why not, duplicate, delivery status, latency, redacted payload",
    description: "Filter with verified=true|false, duplicate=true|false, deliveryStatus; q searches the sender's event id and the reason.",
    tags: ["Webhooks"],
    access: { workspace: "integrations.read" },
    query: webhookEventListQuerySchema,
    responses: { 200: webhookEventPageSchema },
  },
  ({ actor, params, query }) => listWebhookEvents({ actor, endpointId: params.id, query }),
);
