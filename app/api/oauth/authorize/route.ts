// POST /api/oauth/authorize - Continue on the consent page: issue state and PKCE, send the browser to the provider
import { startAuthorization } from "@/lib/oauth/authorize";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  const form = await req.formData().catch(() => null);
  const token = String(form?.get("token") ?? "");
  const url = await startAuthorization(token).catch(() => null);
  if (!url)
    return new Response(null, { status: 303, headers: { location: "/connect/result?status=link_invalid", "cache-control": "no-store" } });
  return new Response(null, { status: 303, headers: { location: url, "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}
