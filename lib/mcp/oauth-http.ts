import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { OutboundBlockedError, outboundFetch } from "../outbound/fetch";

// The SDK's OAuth helpers (metadata discovery, dynamic registration, token requests) send through this fetch:
// the outbound guard checks every address (private ones only for a server an Admin marked internal), and the
// answer is rebuilt as a global Response (the SDK reads error bodies only from one).

const OAUTH_TIMEOUT_MS = 15_000;

export function oauthFetch(allowPrivate: boolean): FetchLike {
  return async (url, init) => {
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
