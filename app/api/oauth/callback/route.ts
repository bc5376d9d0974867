// GET /api/oauth/callback - where providers send end users back after consent (the redirect URI of every connector
// and of every MCP server's OAuth client); the state tells which flow it completes.
import { completeAuthorization } from "@/lib/oauth/authorize";
import { completeMcpAuthorization } from "@/lib/mcp/oauth";
import { mcpServerPagePath } from "@/lib/mcp/oauth-result";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const mcp = await completeMcpAuthorization(url.searchParams);
  if (mcp) {
    // Back to the server's page in the console, with the outcome.
    const location = `${await mcpServerPagePath(mcp.workspaceId, mcp.serverId)}?oauth=${mcp.ok ? "connected" : mcp.reason}`;
    return new Response(null, {
      status: 303,
      headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  }
  const result = await completeAuthorization(url.searchParams);
  const to = new URL("/connect/result", url);
  to.search = result.ok ? "status=connected" : `status=${result.reason}`;
  // Relative, so the browser stays on the host it came through (behind a proxy the request URL may differ).
  return new Response(null, {
    status: 303,
    headers: { location: `${to.pathname}${to.search}`, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}
