// GET/POST /api/admin/skills/{id}/mcp-servers - the MCP servers assigned to a skill, with the tools picked; assign one
import { adminRoute, created } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { createMcpAssignmentSchema, mcpAssignmentDtoSchema } from "@/lib/schemas/agents";
import { assignMcpServer, listMcpAssignments } from "@/lib/agents/mcp-assignments";

export const GET = adminRoute(
  {
    summary: "The MCP servers assigned to a skill, with the tools picked",
    tags: ["Skills"],
    access: { workspace: "integrations.read" },
    responses: { 200: z.object({ data: z.array(mcpAssignmentDtoSchema), nextCursor: z.null() }) },
  },
  ({ actor, params }) => listMcpAssignments({ actor, target: { type: "skill", skillId: params.id } }),
);

export const POST = adminRoute(
  {
    summary: "Assign an MCP server of the same workspace to a skill",
    description:
      "toolNames are tools the server offered at its last discovery that are switched on (a skill must pick at least one). A server of another workspace is not found.",
    tags: ["Skills"],
    access: { workspace: "integrations.manage" },
    body: createMcpAssignmentSchema,
    responses: { 201: mcpAssignmentDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) =>
    created(await assignMcpServer({ actor, target: { type: "skill", skillId: params.id }, input: body, requestId })),
);
