// GET/POST /api/admin/skills/{id}/connectors - the connectors assigned to a skill; assign one
import { adminRoute, created } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { assignmentDtoSchema, createAssignmentSchema } from "@/lib/schemas/agents";
import { assignConnector, listAssignments } from "@/lib/agents/assignments";

export const GET = adminRoute(
  {
    summary: "The connectors assigned to a skill, with the operations picked",
    tags: ["Skills"],
    access: { workspace: "integrations.read" },
    responses: { 200: z.object({ data: z.array(assignmentDtoSchema), nextCursor: z.null() }) },
  },
  ({ actor, params }) => listAssignments({ actor, target: { type: "skill", skillId: params.id } }),
);

export const POST = adminRoute(
  {
    summary: "Assign a connector of the same workspace to a skill",
    description:
      "operationIds are operations of the connector's provider that are enabled as tools (at least one). A connector of another workspace is not found; one that is not public can be assigned only by its creator or an Admin.",
    tags: ["Skills"],
    access: { workspace: "integrations.manage" },
    body: createAssignmentSchema,
    responses: { 201: assignmentDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) =>
    created(await assignConnector({ actor, target: { type: "skill", skillId: params.id }, input: body, requestId })),
);
