import { NextResponse, type NextRequest } from "next/server";

// Console pages learn the requested path from this header, so a signed-out visitor comes back to the exact
// page after signing in. Authorization is not decided here: every page checks on the server.
export const CONSOLE_PATH_HEADER = "x-switchboard-path";

export function proxy(req: NextRequest) {
  const headers = new Headers(req.headers);
  headers.set(CONSOLE_PATH_HEADER, req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/w/:path*"] };
