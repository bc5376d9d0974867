// GET/PATCH/DELETE /api/admin/workflows/{id} - read, rename or re-describe (and set its webhook delivery), delete a workflow
import { adminRoute } from "@/lib/http/admin-route";
import { agentDtoSchema, updateTargetSchema } from "@/lib/schemas/agents";
import { getAgent } from "@/lib/agents/get-agent";
import { updateAgent } from "@/lib/agents/update-agent";
import { deleteAgent } from "@/lib/agents/delete-agent";

export const GET = adminRoute(
  {
    summary: "A workflow (with its nodes in order) with its connector count",
    tags: ["Workflows"],
    access: { workspace: "integrations.read" },
    responses: { 200: agentDtoSchema },
  },
  ({ actor, params }) => getAgent({ actor, kind: "workflow", id: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Rename a workflow, change its description or its webhook delivery settings",
    description:
      "deliveryUrl (null removes it) is where the workflow's webhook events are forwarded, signed with Standard Webhooks; only an Admin may set deliveryInternal (private addresses). The first delivery URL generates the signing secret, answered this once as deliverySecret.",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    body: updateTargetSchema,
    responses: { 200: agentDtoSchema },
    errors: [403, 409],
  },
  ({ actor, params, body, requestId }) => updateAgent({ actor, kind: "workflow", id: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a workflow with its nodes and its connector assignments",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteAgent({ actor, kind: "workflow", id: params.id, requestId }),
);
