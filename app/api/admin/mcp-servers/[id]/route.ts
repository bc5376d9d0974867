// GET/PATCH/DELETE /api/admin/mcp-servers/{id} - read, edit (a header given with a value replaces it), delete
import { adminRoute } from "@/lib/http/admin-route";
import { mcpServerDtoSchema, updateMcpServerSchema } from "@/lib/schemas/mcp";
import { getMcpServer } from "@/lib/mcp/list-servers";
import { updateMcpServer } from "@/lib/mcp/update-server";
import { deleteMcpServer } from "@/lib/mcp/delete-server";

export const GET = adminRoute(
  {
    summary: "An MCP server: URL or stdio command, transport, headers and env (masks), status, last error, server name and version, counts",
    tags: ["MCP servers"],
    access: { workspace: "integrations.read" },
    responses: { 200: mcpServerDtoSchema },
  },
  ({ actor, params }) => getMcpServer({ actor, serverId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Edit an MCP server: name, transport, URL, headers, internal (Admins), or a stdio server's command, args and env (Admins)",
    description:
      "A change of how the server is reached discovers it again and closes its live session. A stdio server (or a switch to stdio) may be changed by Admins only (403); a command the operator does not allow is 400.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    body: updateMcpServerSchema,
    responses: { 200: mcpServerDtoSchema },
    errors: [400, 403, 409],
  },
  ({ actor, params, body, requestId }) => updateMcpServer({ actor, serverId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete an MCP server with its tools and call records, and the header and env credentials only it used",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteMcpServer({ actor, serverId: params.id, requestId }),
);
