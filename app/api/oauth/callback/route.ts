// GET /api/oauth/callback - where providers send end users back after consent (the redirect URI of every connector)
import { completeAuthorization } from "@/lib/oauth/authorize";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const result = await completeAuthorization(url.searchParams);
  const to = new URL("/connect/result", url);
  to.search = result.ok ? "status=connected" : `status=${result.reason}`;
  // Relative, so the browser stays on the host it came through (behind a proxy the request URL may differ).
  return new Response(null, {
    status: 303,
    headers: { location: `${to.pathname}${to.search}`, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}
