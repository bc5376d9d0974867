// POST /api/admin/mcp-servers/{id}/prompts/get - get one prompt with its arguments from the console (audited)
import { adminRoute } from "@/lib/http/admin-route";
import { getMcpPromptSchema, mcpPromptResultSchema } from "@/lib/schemas/mcp";
import { getMcpPrompt } from "@/lib/mcp/resources";

export const POST = adminRoute(
  {
    summary: "Get a prompt of the MCP server with the given arguments and answer its messages",
    description: "No answer from the server (or an unknown prompt) is 503; an answer over 1 MB is 413. Audited without the arguments.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    body: getMcpPromptSchema,
    responses: { 200: mcpPromptResultSchema },
    errors: [413, 503],
  },
  ({ actor, params, body, requestId }) => getMcpPrompt({ actor, serverId: params.id, name: body.name, args: body.arguments, requestId }),
);
