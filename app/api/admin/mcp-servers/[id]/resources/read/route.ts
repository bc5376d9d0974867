// POST /api/admin/mcp-servers/{id}/resources/read - read one resource from the console (audited)
import { adminRoute } from "@/lib/http/admin-route";
import { mcpResourceContentsSchema, readMcpResourceSchema } from "@/lib/schemas/mcp";
import { readMcpResource } from "@/lib/mcp/resources";

export const POST = adminRoute(
  {
    summary: "Read a resource of the MCP server and answer its contents",
    description: "No answer from the server is 503; contents over 1 MB are 413. Audited without the contents.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    body: readMcpResourceSchema,
    responses: { 200: mcpResourceContentsSchema },
    errors: [413, 503],
  },
  ({ actor, params, body, requestId }) => readMcpResource({ actor, serverId: params.id, uri: body.uri, requestId }),
);
