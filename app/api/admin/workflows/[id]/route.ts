// GET/PATCH/DELETE /api/admin/workflows/{id} - read, rename or re-describe, delete a workflow
import { adminRoute } from "@/lib/http/admin-route";
import { agentDtoSchema, updateAgentSchema } from "@/lib/schemas/agents";
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
    summary: "Rename a workflow or change its description",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    body: updateAgentSchema,
    responses: { 200: agentDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateAgent({ actor, kind: "workflow", id: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a workflow with its nodes and its connector assignments",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
    errors: [409],
  },
  ({ actor, params, requestId }) => deleteAgent({ actor, kind: "workflow", id: params.id, requestId }),
);
