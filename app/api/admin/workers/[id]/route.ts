// GET/PATCH/DELETE /api/admin/workers/{id} - read, rename or re-describe (and set its webhook delivery), delete a worker
import { adminRoute } from "@/lib/http/admin-route";
import { agentDtoSchema, updateTargetSchema } from "@/lib/schemas/agents";
import { getAgent } from "@/lib/agents/get-agent";
import { updateAgent } from "@/lib/agents/update-agent";
import { deleteAgent } from "@/lib/agents/delete-agent";

export const GET = adminRoute(
  {
    summary: "A worker with its connector count",
    tags: ["Workers"],
    access: { workspace: "integrations.read" },
    responses: { 200: agentDtoSchema },
  },
  ({ actor, params }) => getAgent({ actor, kind: "worker", id: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Rename a worker, change its description or its webhook delivery settings",
    description:
      "deliveryUrl (null removes it) is where the worker's webhook events are forwarded, signed with Standard Webhooks; only an Admin may set deliveryInternal (private addresses). The first delivery URL generates the signing secret, answered this once as deliverySecret.",
    tags: ["Workers"],
    access: { workspace: "integrations.manage" },
    body: updateTargetSchema,
    responses: { 200: agentDtoSchema },
    errors: [403, 409],
  },
  ({ actor, params, body, requestId }) => updateAgent({ actor, kind: "worker", id: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a worker and its connector assignments",
    tags: ["Workers"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteAgent({ actor, kind: "worker", id: params.id, requestId }),
);
