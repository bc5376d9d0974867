// POST /api/admin/webhooks/{id}/events/{eventId}/replay - hand a verified event to the target again, as a new event
import { adminRoute, created } from "@/lib/http/admin-route";
import { webhookEventDtoSchema } from "@/lib/schemas/webhooks";
import { replayWebhookEvent } from "@/lib/webhooks/events";

export const POST = adminRoute(
  {
    summary: "Replay an event: a new event (replayOfId = this one) with the same body, queued for the endpoint's current target",
    description: "Refused (unverified) events cannot be replayed: 409.",
    tags: ["Webhooks"],
    access: { workspace: "integrations.manage" },
    responses: { 201: webhookEventDtoSchema },
    errors: [409],
  },
  async ({ actor, params, requestId }) =>
    created(await replayWebhookEvent({ actor, endpointId: params.id, eventId: params.eventId, requestId })),
);
