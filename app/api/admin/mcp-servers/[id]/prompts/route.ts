// GET /api/admin/mcp-servers/{id}/prompts - the prompts the server offered at its last discovery
import { adminRoute } from "@/lib/http/admin-route";
import { mcpPromptListSchema } from "@/lib/schemas/mcp";
import { listMcpPrompts } from "@/lib/mcp/resources";

export const GET = adminRoute(
  {
    summary: "An MCP server's prompts (name, description, arguments)",
    description: "Empty when the server does not offer prompts. Refreshed with the tools, and when the server announces its list changed.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.read" },
    responses: { 200: mcpPromptListSchema },
  },
  ({ actor, params }) => listMcpPrompts({ actor, serverId: params.id }),
);
