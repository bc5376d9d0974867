// POST /api/admin/mcp-servers/{id}/tools/{name}/call - try a tool from the console (recorded and audited)
import { adminRoute } from "@/lib/http/admin-route";
import { callMcpToolSchema, callToolResultSchema, mcpToolParamsSchema } from "@/lib/schemas/mcp";
import { tryMcpTool } from "@/lib/mcp/try-tool";

export const POST = adminRoute(
  {
    summary: "Call a tool with the given arguments and answer its MCP CallToolResult",
    description:
      "A tool's own failure is a result with isError: true. No answer from the server (unreachable, timeout, refused address) is 503; a result over 1 MB is 413. Recorded on the server's activity and audited, without the arguments.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    params: mcpToolParamsSchema,
    body: callMcpToolSchema,
    responses: { 200: callToolResultSchema },
    errors: [409, 413, 503],
  },
  ({ actor, params, body, requestId }) => tryMcpTool({ actor, serverId: params.id, name: params.name, args: body.arguments, requestId }),
);
