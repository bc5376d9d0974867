// GET /api/admin/mcp-servers/{id}/resources - the resources and resource templates the server offered at its last discovery
import { adminRoute } from "@/lib/http/admin-route";
import { mcpResourceListSchema } from "@/lib/schemas/mcp";
import { listMcpResources } from "@/lib/mcp/resources";

export const GET = adminRoute(
  {
    summary: "An MCP server's resources (uri, name, description, MIME type) and resource templates",
    description:
      "Empty when the server does not offer resources. Refreshed with the tools, and when the server announces its list changed.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.read" },
    responses: { 200: mcpResourceListSchema },
  },
  ({ actor, params }) => listMcpResources({ actor, serverId: params.id }),
);
