import { z } from "zod";

// A connector's OAuth client: what the oauth-user, app-token (client credentials) and hybrid modes store. The
// secret (clientSecret) is a Credential like every connector secret; the rest sits on Connector.authSettings.

/** An authorization server endpoint: https, or http on a loopback host (local development and tests). */
export const endpointUrlSchema = z
  .string()
  .trim()
  .max(2048, "Must be at most 2048 characters")
  .refine((raw) => {
    try {
      const u = new URL(raw);
      if (u.username || u.password || u.hash) return false;
      if (u.protocol === "https:") return true;
      return u.protocol === "http:" && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i.test(u.hostname);
    } catch {
      return false;
    }
  }, "Enter an https URL (http only on a loopback host), without user name, password or fragment");

const scopeSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "A scope has no spaces or quotes (RFC 6749 3.3)");

/** Parameters the authorization request may carry besides the ones the client sets itself. */
const RESERVED_PARAMS = new Set([
  "client_id",
  "redirect_uri",
  "response_type",
  "state",
  "code_challenge",
  "code_challenge_method",
  "scope",
]);
export const authorizeParamsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, "Use letters, digits and _ . -"),
    z.string().max(500),
  )
  .refine((p) => Object.keys(p).length <= 20, "At most 20 parameters")
  .refine(
    (p) => !Object.keys(p).some((k) => RESERVED_PARAMS.has(k)),
    "client_id, redirect_uri, state, scope and PKCE are set by Switchboard",
  );

export const clientIdSchema = z.string().trim().min(1, "Required").max(500);
export const clientSecretSchema = z
  .string()
  .min(1, "must not be empty")
  .max(8192)
  .refine((s) => !/[\r\n\0]/.test(s), "must not contain line breaks or NUL");

export const oauthClientFields = {
  clientId: clientIdSchema,
  clientSecret: clientSecretSchema.optional(),
  authorizeUrl: endpointUrlSchema.optional(),
  tokenUrl: endpointUrlSchema.optional(),
  revocationUrl: endpointUrlSchema.optional(),
  scopes: z.array(scopeSchema).max(100).default([]),
  authorizeParams: authorizeParamsSchema.default({}),
};

/** The settings an OAuth mode keeps on the connector (no secret). */
export interface OAuthClientSettings {
  clientId: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  revocationUrl?: string;
  scopes: string[];
  authorizeParams: Record<string, string>;
}

export function readClientSettings(s: Record<string, unknown>): OAuthClientSettings {
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  return {
    clientId: String(s.clientId ?? ""),
    authorizeUrl: str(s.authorizeUrl),
    tokenUrl: str(s.tokenUrl),
    revocationUrl: str(s.revocationUrl),
    scopes: Array.isArray(s.scopes) ? s.scopes.map(String) : [],
    authorizeParams: s.authorizeParams && typeof s.authorizeParams === "object" ? (s.authorizeParams as Record<string, string>) : {},
  };
}

/** The provider's oauth2 security scheme URLs, used when the connector gives none. */
export function oauthDefaultsFromSchemes(
  schemes: {
    type: string;
    flows?: Record<string, { authorizationUrl?: string; tokenUrl?: string; refreshUrl?: string; scopes?: Record<string, string> }>;
  }[],
): { authorizeUrl?: string; tokenUrl?: string; clientCredentialsTokenUrl?: string } {
  const oauth = schemes.find((s) => s.type === "oauth2" && s.flows);
  const code = oauth?.flows?.authorizationCode;
  const cc = oauth?.flows?.clientCredentials;
  return {
    authorizeUrl: code?.authorizationUrl,
    tokenUrl: code?.tokenUrl ?? cc?.tokenUrl,
    clientCredentialsTokenUrl: cc?.tokenUrl ?? code?.tokenUrl,
  };
}
