// GET /api/admin/mcp-servers/{id}/calls - the server's tool calls, newest first (its activity)
import { adminRoute } from "@/lib/http/admin-route";
import { mcpCallPageSchema, mcpCallQuerySchema } from "@/lib/schemas/mcp";
import { listMcpCalls } from "@/lib/mcp/list-calls";

export const GET = adminRoute(
  {
    summary: "An MCP server's tool calls, newest first: tool, outcome, latency, end user, agent, key; never arguments or results",
    tags: ["MCP servers"],
    access: { workspace: "integrations.read" },
    query: mcpCallQuerySchema,
    responses: { 200: mcpCallPageSchema },
  },
  ({ actor, params, query }) => listMcpCalls({ actor, serverId: params.id, query }),
);
