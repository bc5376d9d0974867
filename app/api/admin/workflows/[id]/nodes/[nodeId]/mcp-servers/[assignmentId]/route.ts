// PATCH/DELETE /api/admin/workflows/{id}/nodes/{nodeId}/mcp-servers/{assignmentId} - change the tools picked; unassign
import { adminRoute } from "@/lib/http/admin-route";
import { mcpAssignmentDtoSchema, updateMcpAssignmentSchema } from "@/lib/schemas/agents";
import { removeMcpAssignment, updateMcpAssignment } from "@/lib/agents/mcp-assignments";

export const PATCH = adminRoute(
  {
    summary: "Change which tools of the MCP server a workflow node uses",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    body: updateMcpAssignmentSchema,
    responses: { 200: mcpAssignmentDtoSchema },
  },
  ({ actor, params, body, requestId }) =>
    updateMcpAssignment({
      actor,
      target: { type: "node", workflowId: params.id, nodeId: params.nodeId },
      assignmentId: params.assignmentId,
      input: body,
      requestId,
    }),
);

export const DELETE = adminRoute(
  {
    summary: "Unassign an MCP server from a workflow node",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) =>
    removeMcpAssignment({
      actor,
      target: { type: "node", workflowId: params.id, nodeId: params.nodeId },
      assignmentId: params.assignmentId,
      requestId,
    }),
);
