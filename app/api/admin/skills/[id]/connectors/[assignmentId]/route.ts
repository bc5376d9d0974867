// PATCH/DELETE /api/admin/skills/{id}/connectors/{assignmentId} - change the operations picked; unassign
import { adminRoute } from "@/lib/http/admin-route";
import { assignmentDtoSchema, updateAssignmentSchema } from "@/lib/schemas/agents";
import { removeAssignment, updateAssignment } from "@/lib/agents/assignments";

export const PATCH = adminRoute(
  {
    summary: "Change which operations of the connector a skill uses",
    tags: ["Skills"],
    access: { workspace: "integrations.manage" },
    body: updateAssignmentSchema,
    responses: { 200: assignmentDtoSchema },
  },
  ({ actor, params, body, requestId }) =>
    updateAssignment({ actor, target: { type: "skill", skillId: params.id }, assignmentId: params.assignmentId, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Unassign a connector from a skill",
    tags: ["Skills"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) =>
    removeAssignment({ actor, target: { type: "skill", skillId: params.id }, assignmentId: params.assignmentId, requestId }),
);
