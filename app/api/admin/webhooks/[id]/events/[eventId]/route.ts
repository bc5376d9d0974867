// GET /api/admin/webhooks/{id}/events/{eventId} - one event of the log
import { adminRoute } from "@/lib/http/admin-route";
import { webhookEventDtoSchema } from "@/lib/schemas/webhooks";
import { getWebhookEvent } from "@/lib/webhooks/events";

export const GET = adminRoute(
  {
    summary: "One event: verification, dedupe, delivery and result, the redacted payload and the kept headers",
    tags: ["Webhooks"],
    access: { workspace: "integrations.read" },
    responses: { 200: webhookEventDtoSchema },
  },
  ({ actor, params }) => getWebhookEvent({ actor, endpointId: params.id, eventId: params.eventId }),
);
