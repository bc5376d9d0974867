// POST /api/admin/mcp-servers/{id}/refresh - discover the server's tools again now
import { adminRoute } from "@/lib/http/admin-route";
import { mcpServerDtoSchema } from "@/lib/schemas/mcp";
import { refreshMcpServerFor } from "@/lib/mcp/tools";

export const POST = adminRoute(
  {
    summary: "Discover the server's tools again (tools keep their enabled setting); answers the server with its new status",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    responses: { 200: mcpServerDtoSchema },
  },
  ({ actor, params, requestId }) => refreshMcpServerFor({ actor, serverId: params.id, requestId }),
);
