// GET/POST /api/admin/workflows/{id}/nodes/{nodeId}/connectors - the connectors assigned to a workflow node; assign one
import { adminRoute, created } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { assignmentDtoSchema, createAssignmentSchema } from "@/lib/schemas/agents";
import { assignConnector, listAssignments } from "@/lib/agents/assignments";

export const GET = adminRoute(
  {
    summary: "The connectors assigned to a workflow node, with the operations picked",
    tags: ["Workflows"],
    access: { workspace: "integrations.read" },
    responses: { 200: z.object({ data: z.array(assignmentDtoSchema), nextCursor: z.null() }) },
  },
  ({ actor, params }) => listAssignments({ actor, target: { type: "node", workflowId: params.id, nodeId: params.nodeId } }),
);

export const POST = adminRoute(
  {
    summary: "Assign a connector of the same workspace to a workflow node",
    description:
      "operationIds are operations of the connector's provider that are enabled as tools (optional: none means every enabled operation). A connector of another workspace is not found; one that is not public can be assigned only by its creator or an Admin.",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    body: createAssignmentSchema,
    responses: { 201: assignmentDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) =>
    created(
      await assignConnector({ actor, target: { type: "node", workflowId: params.id, nodeId: params.nodeId }, input: body, requestId }),
    ),
);
