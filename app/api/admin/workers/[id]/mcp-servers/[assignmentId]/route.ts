// PATCH/DELETE /api/admin/workers/{id}/mcp-servers/{assignmentId} - change the tools picked; unassign
import { adminRoute } from "@/lib/http/admin-route";
import { mcpAssignmentDtoSchema, updateMcpAssignmentSchema } from "@/lib/schemas/agents";
import { removeMcpAssignment, updateMcpAssignment } from "@/lib/agents/mcp-assignments";

export const PATCH = adminRoute(
  {
    summary: "Change which tools of the MCP server a worker uses",
    tags: ["Workers"],
    access: { workspace: "integrations.manage" },
    body: updateMcpAssignmentSchema,
    responses: { 200: mcpAssignmentDtoSchema },
  },
  ({ actor, params, body, requestId }) =>
    updateMcpAssignment({
      actor,
      target: { type: "worker", workerId: params.id },
      assignmentId: params.assignmentId,
      input: body,
      requestId,
    }),
);

export const DELETE = adminRoute(
  {
    summary: "Unassign an MCP server from a worker",
    tags: ["Workers"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) =>
    removeMcpAssignment({ actor, target: { type: "worker", workerId: params.id }, assignmentId: params.assignmentId, requestId }),
);
