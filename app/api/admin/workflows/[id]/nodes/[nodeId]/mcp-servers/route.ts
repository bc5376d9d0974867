// GET/POST /api/admin/workflows/{id}/nodes/{nodeId}/mcp-servers - the MCP servers assigned to a workflow node, with the tools picked; assign one
import { adminRoute, created } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { createMcpAssignmentSchema, mcpAssignmentDtoSchema } from "@/lib/schemas/agents";
import { assignMcpServer, listMcpAssignments } from "@/lib/agents/mcp-assignments";

export const GET = adminRoute(
  {
    summary: "The MCP servers assigned to a workflow node, with the tools picked",
    tags: ["Workflows"],
    access: { workspace: "integrations.read" },
    responses: { 200: z.object({ data: z.array(mcpAssignmentDtoSchema), nextCursor: z.null() }) },
  },
  ({ actor, params }) => listMcpAssignments({ actor, target: { type: "node", workflowId: params.id, nodeId: params.nodeId } }),
);

export const POST = adminRoute(
  {
    summary: "Assign an MCP server of the same workspace to a workflow node",
    description:
      "toolNames are tools the server offered at its last discovery that are switched on (optional: none means every enabled tool, including ones enabled later). A server of another workspace is not found.",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    body: createMcpAssignmentSchema,
    responses: { 201: mcpAssignmentDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) =>
    created(
      await assignMcpServer({ actor, target: { type: "node", workflowId: params.id, nodeId: params.nodeId }, input: body, requestId }),
    ),
);
