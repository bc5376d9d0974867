// GET /api/admin/webhooks/{id}/events/summary - events per hour (the event log's chart)
import { adminRoute } from "@/lib/http/admin-route";
import { webhookEventSummaryQuerySchema, webhookEventSummarySchema } from "@/lib/schemas/webhooks";
import { summarizeWebhookEvents } from "@/lib/webhooks/events";

export const GET = adminRoute(
  {
    summary: "An endpoint's events per hour over the last `hours` hours (default 24): received, verified, refused, duplicates",
    tags: ["Webhooks"],
    access: { workspace: "integrations.read" },
    query: webhookEventSummaryQuerySchema,
    responses: { 200: webhookEventSummarySchema },
  },
  ({ actor, params, query }) => summarizeWebhookEvents({ actor, endpointId: params.id, hours: query.hours }),
);
