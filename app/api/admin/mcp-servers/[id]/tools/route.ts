// GET /api/admin/mcp-servers/{id}/tools - the tools the server offered at its last discovery
import { adminRoute } from "@/lib/http/admin-route";
import { mcpToolListSchema } from "@/lib/schemas/mcp";
import { listMcpTools } from "@/lib/mcp/tools";

export const GET = adminRoute(
  {
    summary: "An MCP server's tools in its own order: name, description, input schema, enabled",
    tags: ["MCP servers"],
    access: { workspace: "integrations.read" },
    responses: { 200: mcpToolListSchema },
  },
  ({ actor, params }) => listMcpTools({ actor, serverId: params.id }),
);
