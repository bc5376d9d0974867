// POST /api/admin/workflows/{id}/rotate-delivery-secret - a new signing secret for the workflow's webhook forwards
import { adminRoute } from "@/lib/http/admin-route";
import { deliverySecretDtoSchema } from "@/lib/schemas/webhook-delivery";
import { rotateDeliverySecret } from "@/lib/agents/rotate-delivery-secret";

export const POST = adminRoute(
  {
    summary: "Generate a new Standard Webhooks signing secret for the workflow's webhook forwards",
    description:
      "The answer holds the secret (whsec_...) this once; it is stored as a credential of the workspace and never shown again. Forwards are signed with it from now on.",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    responses: { 200: deliverySecretDtoSchema },
  },
  ({ actor, params, requestId }) => rotateDeliverySecret({ actor, kind: "workflow", id: params.id, requestId }),
);
