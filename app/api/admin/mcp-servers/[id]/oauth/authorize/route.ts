// POST /api/admin/mcp-servers/{id}/oauth/authorize - start connecting the workspace's OAuth account to the server
import { adminRoute } from "@/lib/http/admin-route";
import { mcpOAuthAuthorizeSchema } from "@/lib/schemas/mcp";
import { startMcpAuthorization } from "@/lib/mcp/oauth";

export const POST = adminRoute(
  {
    summary: "Start the server's OAuth authorization: discovery, client registration when needed, and the consent URL to open",
    description:
      "Follows the MCP authorization specification: the protected resource metadata (RFC 9728) named by the server's 401 (or its well-known URL), the authorization server metadata (RFC 8414 / OpenID Connect), dynamic client registration (RFC 7591) unless a client id is configured, PKCE (S256) and the resource parameter (RFC 8707). Open the url in a browser; the authorization server returns to /api/oauth/callback, which stores the tokens (never answered) and goes back to the server's page. The url is valid 10 minutes.",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    responses: { 200: mcpOAuthAuthorizeSchema },
  },
  ({ actor, params, req, requestId }) =>
    startMcpAuthorization({ actor, serverId: params.id, requestOrigin: new URL(req.url).origin, requestId }),
);
