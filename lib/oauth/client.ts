import * as oauth from "oauth4webapi";
import { z } from "zod";
import { outboundFetch, OutboundBlockedError } from "../outbound/fetch";
import type { OAuthClientSettings } from "./settings";

// Requests to a connector's authorization server, built by oauth4webapi (client authentication, PKCE, form
// encoding) and sent through the outbound guard. Token answers are parsed here with zod rather than by
// oauth4webapi's processors: an id_token that comes along is not ours to validate (we call APIs, we do not sign
// anyone in), and without discovery we do not know the issuer it would be checked against.

const TIMEOUT_MS = 15_000;

/** Why a token request failed, which decides what happens to a connection. */
export type OAuthFailureKind =
  /** The grant is dead (refresh token revoked or rotated away, code used or expired, PKCE mismatch): re-authorize. */
  | "invalid_grant"
  /** The server refused the client or the request (invalid_client, unauthorized_client, invalid_scope...). */
  | "rejected"
  /** 5xx, network failure, timeout, or an answer we cannot read: try again later, keep what we have. */
  | "transient";

export class OAuthRequestError extends Error {
  constructor(
    readonly kind: OAuthFailureKind,
    message: string,
    readonly oauthError: string | null = null,
  ) {
    super(message);
    this.name = "OAuthRequestError";
  }
}

export interface OAuthTokens {
  accessToken: string;
  tokenType: string;
  refreshToken: string | null;
  expiresIn: number | null;
  scopes: string[] | null;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().max(40).default("bearer"),
  refresh_token: z.string().max(16_384).optional(),
  expires_in: z.coerce.number().nonnegative().optional(),
  scope: z.string().max(4000).optional(),
});
const errorAnswer = z.object({ error: z.string().max(200), error_description: z.string().max(1000).optional() });

export interface OAuthEndpointContext {
  settings: OAuthClientSettings;
  clientSecret: string | null;
  /** The connector is internal: its authorization server may be on a private address too. */
  allowPrivate: boolean;
}

function server(ctx: OAuthEndpointContext): oauth.AuthorizationServer {
  const { settings } = ctx;
  const origin = new URL(settings.tokenUrl ?? settings.authorizeUrl ?? "https://invalid").origin;
  return {
    issuer: origin,
    authorization_endpoint: settings.authorizeUrl,
    token_endpoint: settings.tokenUrl,
    revocation_endpoint: settings.revocationUrl,
  };
}

function clientAuth(ctx: OAuthEndpointContext): oauth.ClientAuth {
  return ctx.clientSecret ? oauth.ClientSecretPost(ctx.clientSecret) : oauth.None();
}

function options(ctx: OAuthEndpointContext, signal?: AbortSignal) {
  const fetchThroughGuard = async (url: string, init: oauth.CustomFetchOptions<"POST", URLSearchParams>) =>
    (await outboundFetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body.toString(),
      allowPrivate: ctx.allowPrivate,
      timeoutMs: TIMEOUT_MS,
      maxRedirects: 0,
      signal: init.signal ?? signal,
    })) as Response;
  return {
    [oauth.customFetch]: fetchThroughGuard,
    // The outbound guard decides which hosts are reachable; the settings schema allows http only on loopback.
    [oauth.allowInsecureRequests]: true,
    signal,
  } as oauth.TokenEndpointRequestOptions;
}

async function send(request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch (e) {
    if (e instanceof OutboundBlockedError)
      throw new OAuthRequestError("rejected", `The authorization server's address is refused: ${e.message}`);
    throw new OAuthRequestError("transient", "The authorization server could not be reached");
  }
}

async function readTokens(res: Response): Promise<OAuthTokens> {
  const text = await res.text().catch(() => "");
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  if (res.status >= 500 || res.status === 429) throw new OAuthRequestError("transient", `The authorization server answered ${res.status}`);
  if (!res.ok) {
    const err = errorAnswer.safeParse(json);
    const code = err.success ? err.data.error : null;
    // Only the code and the server's short description: the body could echo what we sent.
    const message = code ? `The authorization server refused the request: ${code}` : `The authorization server answered ${res.status}`;
    throw new OAuthRequestError(code === "invalid_grant" ? "invalid_grant" : "rejected", message, code);
  }
  const ok = tokenAnswer.safeParse(json);
  if (!ok.success) throw new OAuthRequestError("transient", "The authorization server's token answer could not be read");
  const t = ok.data;
  return {
    accessToken: t.access_token,
    tokenType: t.token_type.toLowerCase(),
    refreshToken: t.refresh_token || null,
    expiresIn: t.expires_in ?? null,
    scopes: t.scope !== undefined ? t.scope.split(" ").filter(Boolean) : null,
  };
}

export function newPkce(): { verifier: string; state: string } {
  return { verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState() };
}

/** The provider's authorization URL for one connect session (PKCE S256, our state, the client's extra parameters). */
export async function authorizationUrl(opts: {
  settings: OAuthClientSettings;
  redirectUri: string;
  state: string;
  verifier: string;
}): Promise<string> {
  const { settings } = opts;
  if (!settings.authorizeUrl) throw new OAuthRequestError("rejected", "The connector has no authorization URL");
  const url = new URL(settings.authorizeUrl);
  for (const [k, v] of Object.entries(settings.authorizeParams)) url.searchParams.set(k, v);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", opts.redirectUri);
  if (settings.scopes.length) url.searchParams.set("scope", settings.scopes.join(" "));
  url.searchParams.set("state", opts.state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(opts.verifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

/** Exchanges an authorization code (our state was already checked and consumed by the caller). */
export async function exchangeCode(
  ctx: OAuthEndpointContext,
  opts: { code: string; redirectUri: string; verifier: string },
): Promise<OAuthTokens> {
  const as = server(ctx);
  const client: oauth.Client = { client_id: ctx.settings.clientId };
  // validateAuthResponse brands the parameters; state and issuer are checked by our own single-use state.
  const params = oauth.validateAuthResponse(as, client, new URLSearchParams({ code: opts.code }), oauth.expectNoState);
  const res = await send(() =>
    oauth.authorizationCodeGrantRequest(as, client, clientAuth(ctx), params, opts.redirectUri, opts.verifier, options(ctx)),
  );
  return readTokens(res);
}

export async function refreshTokens(ctx: OAuthEndpointContext, refreshToken: string): Promise<OAuthTokens> {
  const as = server(ctx);
  const res = await send(() =>
    oauth.refreshTokenGrantRequest(as, { client_id: ctx.settings.clientId }, clientAuth(ctx), refreshToken, options(ctx)),
  );
  return readTokens(res);
}

export async function clientCredentialsTokens(ctx: OAuthEndpointContext): Promise<OAuthTokens> {
  const as = server(ctx);
  const params = new URLSearchParams();
  if (ctx.settings.scopes.length) params.set("scope", ctx.settings.scopes.join(" "));
  const res = await send(() =>
    oauth.clientCredentialsGrantRequest(as, { client_id: ctx.settings.clientId }, clientAuth(ctx), params, options(ctx)),
  );
  return readTokens(res);
}

/** Revokes a token (RFC 7009); only called when the connector has a revocation URL. */
export async function revokeToken(ctx: OAuthEndpointContext, token: string, hint: "access_token" | "refresh_token"): Promise<void> {
  const as = server(ctx);
  const opts = { ...options(ctx), additionalParameters: { token_type_hint: hint } };
  const res = await send(() => oauth.revocationRequest(as, { client_id: ctx.settings.clientId }, clientAuth(ctx), token, opts));
  await res.body?.cancel().catch(() => undefined);
  if (res.status >= 500) throw new OAuthRequestError("transient", `The revocation endpoint answered ${res.status}`);
  if (!res.ok) throw new OAuthRequestError("rejected", `The revocation endpoint answered ${res.status}`);
}
