// GET/PATCH/DELETE /api/admin/webhooks/{id} - read, edit, delete an incoming webhook endpoint
import { adminRoute } from "@/lib/http/admin-route";
import { updateWebhookSchema, webhookDtoSchema } from "@/lib/schemas/webhooks";
import { getWebhook } from "@/lib/webhooks/list-endpoints";
import { updateWebhook } from "@/lib/webhooks/update-endpoint";
import { deleteWebhook } from "@/lib/webhooks/delete-endpoint";

export const GET = adminRoute(
  {
    summary: "An incoming webhook endpoint: scheme and options, target, mode, secrets (masks and expiry), 24 h counts",
    tags: ["Webhooks"],
    access: { workspace: "integrations.read" },
    responses: { 200: webhookDtoSchema },
  },
  ({ actor, params }) => getWebhook({ actor, endpointId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Edit an incoming webhook endpoint (the secret changes only through rotate-secret)",
    tags: ["Webhooks"],
    access: { workspace: "integrations.manage" },
    body: updateWebhookSchema,
    responses: { 200: webhookDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateWebhook({ actor, endpointId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete an incoming webhook endpoint with its event log, and the secret credentials only it used",
    tags: ["Webhooks"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteWebhook({ actor, endpointId: params.id, requestId }),
);
