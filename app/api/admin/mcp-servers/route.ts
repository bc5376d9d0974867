// GET /api/admin/mcp-servers?workspaceId= - a workspace's MCP servers; POST - register one and discover its tools
import { adminRoute, created } from "@/lib/http/admin-route";
import {
  createMcpServerSchema,
  mcpServerDtoSchema,
  mcpServerPageSchema,
  mcpServerQuerySchema,
  mcpServerScopeQuerySchema,
} from "@/lib/schemas/mcp";
import { listMcpServers } from "@/lib/mcp/list-servers";
import { createMcpServer } from "@/lib/mcp/create-server";

export const GET = adminRoute(
  {
    summary: "A workspace's MCP servers (search by name, URL or the server's own name; filter by status)",
    description: "`stdio` tells whether the operator allows stdio servers on this instance and which commands they may run.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.read" },
    query: mcpServerQuerySchema,
    responses: { 200: mcpServerPageSchema },
  },
  ({ actor, query }) => listMcpServers({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Register an MCP server (Streamable HTTP falling back to HTTP+SSE, or a stdio command) and discover it",
    description:
      "Each header value is stored as a credential of the workspace; answers show masks only. The URL goes through the outbound guard: private and loopback addresses only when an Admin marks the server internal. A stdio server (Admins only, 403 otherwise) runs an allow-listed command with a scrubbed environment plus its `env` (values stored as credentials); 400 when the operator has not enabled stdio (SWITCHBOARD_MCP_STDIO) or has not listed the command (SWITCHBOARD_MCP_STDIO_COMMANDS). A server that cannot be reached is saved with status failing and its error.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    query: mcpServerScopeQuerySchema,
    body: createMcpServerSchema,
    responses: { 201: mcpServerDtoSchema },
    errors: [400, 403, 409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createMcpServer({ actor, workspaceId: query.workspaceId, input: body, requestId })),
);
