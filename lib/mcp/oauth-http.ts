import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { OutboundBlockedError, outboundFetch } from "../outbound/fetch";

// The SDK's OAuth helpers (metadata discovery, dynamic registration, token requests) send through this fetch:
// the outbound guard checks every address, and the answer is rebuilt as a global Response (the SDK reads error
// bodies only from one).
//
// Which addresses: an Admin marking a server internal vouches for the MCP server's own origin (scheme, host and
// port) only, never for the hosts its metadata names. Any other URL (the authorization server, its token,
// registration and revocation endpoints, a resource metadata URL elsewhere) is treated as public: private
// addresses are refused unless the operator allowed them (SWITCHBOARD_OUTBOUND_ALLOW), and it must be https
// (http only on loopback, as for the consent page). An authorization server inside the network, on another host
// or port than the MCP server, is therefore reached only through SWITCHBOARD_OUTBOUND_ALLOW.

const OAUTH_TIMEOUT_MS = 15_000;

export const isLoopbackHost = (hostname: string) =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);

/** How a URL of the OAuth flow may be requested for this server: private addresses only on the server's own origin. */
export function oauthTargetPolicy(server: { url: string; internal: boolean }, raw: string): { allowPrivate: boolean } {
  let url: URL;
  let own: URL;
  try {
    url = new URL(raw);
    own = new URL(server.url);
  } catch {
    throw new OutboundBlockedError("The URL is malformed");
  }
  if (url.origin === own.origin) return { allowPrivate: server.internal };
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname)))
    throw new OutboundBlockedError(`The authorization server's endpoints must be https URLs (one is ${url.protocol}//${url.host})`);
  return { allowPrivate: false };
}

export function oauthFetch(server: { url: string; internal: boolean }): FetchLike {
  return async (url, init) => {
    const { allowPrivate } = oauthTargetPolicy(server, url.toString());
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const body = init?.body;
    const res = await outboundFetch(url.toString(), {
      allowPrivate,
      method: init?.method ?? "GET",
      headers,
      body: typeof body === "string" ? body : body instanceof URLSearchParams ? body.toString() : undefined,
      signal: init?.signal ?? undefined,
      timeoutMs: OAUTH_TIMEOUT_MS,
      maxRedirects: 3,
      // A redirect stays on the origin its policy was decided for.
      crossOriginRedirects: "refuse",
    });
    const bytes = await res.arrayBuffer();
    return new Response(res.status === 204 || res.status === 304 ? null : bytes, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/** What a failed OAuth request means for a connection. */
export type OAuthFailure = { kind: "dead" | "transient"; code: string | null; message: string };

/**
 * dead: the grant or the client is refused (invalid_grant, invalid_client, unauthorized_client, invalid_scope,
 * invalid_target...) and an Admin must connect again; transient: 5xx, 429, the network, an unreadable answer.
 * Messages carry the OAuth error code only, never a body (it could echo what was sent).
 */
export function classifyOAuthFailure(e: unknown): OAuthFailure {
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++)
    if (c instanceof OutboundBlockedError)
      return { kind: "transient", code: null, message: `The authorization server's address is refused: ${c.message}` };
  // The SDK's OAuthError subclasses, by their code (duck-typed: the SDK ships ESM and CJS copies of the class).
  const code = (e as { errorCode?: unknown } | null)?.errorCode;
  if (typeof code === "string") {
    if (code === "server_error" || code === "temporarily_unavailable" || code === "too_many_requests")
      return { kind: "transient", code, message: `The authorization server failed (${code})` };
    return { kind: "dead", code, message: `The authorization server refused the request: ${code}` };
  }
  return { kind: "transient", code: null, message: "The authorization server could not be reached" };
}
