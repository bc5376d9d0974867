// GET/PATCH/DELETE /api/admin/mcp-servers/{id} - read, edit (a header given with a value replaces it), delete
import { adminRoute } from "@/lib/http/admin-route";
import { mcpServerDtoSchema, updateMcpServerSchema } from "@/lib/schemas/mcp";
import { getMcpServer } from "@/lib/mcp/list-servers";
import { updateMcpServer } from "@/lib/mcp/update-server";
import { deleteMcpServer } from "@/lib/mcp/delete-server";

export const GET = adminRoute(
  {
    summary: "An MCP server: URL, transport, headers (masks), status, last error, server name and version, tool counts",
    tags: ["MCP servers"],
    access: { workspace: "integrations.read" },
    responses: { 200: mcpServerDtoSchema },
  },
  ({ actor, params }) => getMcpServer({ actor, serverId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Edit an MCP server: name, transport, URL, headers, internal (Admins); a change of how it is reached discovers again",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    body: updateMcpServerSchema,
    responses: { 200: mcpServerDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateMcpServer({ actor, serverId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete an MCP server with its tools and call records, and the header credentials only it used",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteMcpServer({ actor, serverId: params.id, requestId }),
);
