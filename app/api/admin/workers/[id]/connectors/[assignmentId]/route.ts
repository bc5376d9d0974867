// PATCH/DELETE /api/admin/workers/{id}/connectors/{assignmentId} - change the operations picked; unassign
import { adminRoute } from "@/lib/http/admin-route";
import { assignmentDtoSchema, updateAssignmentSchema } from "@/lib/schemas/agents";
import { removeAssignment, updateAssignment } from "@/lib/agents/assignments";

export const PATCH = adminRoute(
  {
    summary: "Change which operations of the connector a worker uses",
    tags: ["Workers"],
    access: { workspace: "integrations.manage" },
    body: updateAssignmentSchema,
    responses: { 200: assignmentDtoSchema },
  },
  ({ actor, params, body, requestId }) =>
    updateAssignment({ actor, target: { type: "worker", workerId: params.id }, assignmentId: params.assignmentId, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Unassign a connector from a worker",
    tags: ["Workers"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) =>
    removeAssignment({ actor, target: { type: "worker", workerId: params.id }, assignmentId: params.assignmentId, requestId }),
);
