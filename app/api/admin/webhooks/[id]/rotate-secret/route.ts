// POST /api/admin/webhooks/{id}/rotate-secret - a new current secret; the old ones stay valid for graceSeconds
import { adminRoute } from "@/lib/http/admin-route";
import { rotateWebhookSecretSchema, webhookWithSecretDtoSchema } from "@/lib/schemas/webhooks";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-secret";

export const POST = adminRoute(
  {
    summary: "Rotate an endpoint's signing secret: the new one is current, the previous ones stay valid for graceSeconds",
    description:
      "graceSeconds defaults to 86400 (24 h); 0 ends the previous secrets now. Without `secret` a new one is generated and answered in `secret` this once. Secrets whose grace has passed are removed.",
    tags: ["Webhooks"],
    access: { workspace: "integrations.manage" },
    body: rotateWebhookSecretSchema,
    responses: { 200: webhookWithSecretDtoSchema },
  },
  ({ actor, params, body, requestId }) => rotateWebhookSecret({ actor, endpointId: params.id, input: body, requestId }),
);
