// DELETE /api/admin/mcp-servers/{id}/oauth - disconnect the workspace's OAuth account from the server
import { adminRoute } from "@/lib/http/admin-route";
import { mcpServerDtoSchema } from "@/lib/schemas/mcp";
import { disconnectMcpOAuth } from "@/lib/mcp/oauth";

export const DELETE = adminRoute(
  {
    summary: "Disconnect the server's OAuth account: its tokens are deleted and calls fail until an Admin connects again",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    responses: { 200: mcpServerDtoSchema },
  },
  ({ actor, params, requestId }) => disconnectMcpOAuth({ actor, serverId: params.id, requestId }),
);
