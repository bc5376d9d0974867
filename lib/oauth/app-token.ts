import crypto from "node:crypto";
import { processSingleton } from "../db/global";
import { openSecret, sealSecret } from "../crypto";
import { clientCredentialsTokens, type OAuthEndpointContext } from "./client";
import type { AccessToken } from "./user-token";
import { refreshMarginMs } from "./token-seal";

// App tokens from the client credentials grant: one per connector and client, kept sealed in this process's
// memory until shortly before they expire (a new one costs one request, so nothing is stored), and fetched by
// one caller at a time.

interface Cached {
  sealed: string;
  tokenType: string;
  issuedAt: Date;
  expiresAt: Date | null;
}

const cache = () => processSingleton<Map<string, Cached>>("oauthAppTokens", () => new Map());
const inFlight = () => processSingleton<Map<string, Promise<AccessToken>>>("oauthAppTokensInFlight", () => new Map());
const sealCtx = (key: string) => ({ purpose: "oauth-app-token", workspaceId: null, table: "memory", field: "accessToken", rowId: key });

function cacheKey(connectorId: string, ctx: OAuthEndpointContext): string {
  const { clientId, tokenUrl, scopes } = ctx.settings;
  const secretDigest = crypto
    .createHash("sha256")
    .update(ctx.clientSecret ?? "")
    .digest("base64url");
  return `${connectorId}\u0000${clientId}\u0000${tokenUrl}\u0000${scopes.join(" ")}\u0000${secretDigest}`;
}

export async function appAccessToken(connectorId: string, ctx: OAuthEndpointContext, rejectedToken?: string): Promise<AccessToken> {
  const key = cacheKey(connectorId, ctx);
  const hit = cache().get(key);
  if (hit) {
    const token = openSecret(hit.sealed, sealCtx(key));
    const fresh = !hit.expiresAt || hit.expiresAt.getTime() - refreshMarginMs(hit.issuedAt, hit.expiresAt) > Date.now();
    if (fresh && token !== rejectedToken) return { token, tokenType: hit.tokenType };
    cache().delete(key);
  }
  let pending = inFlight().get(key);
  if (!pending) {
    pending = (async () => {
      const t = await clientCredentialsTokens(ctx);
      const issuedAt = new Date();
      const expiresAt = t.expiresIn !== null ? new Date(issuedAt.getTime() + t.expiresIn * 1000) : null;
      if (cache().size > 1000) cache().clear();
      cache().set(key, { sealed: sealSecret(t.accessToken, sealCtx(key)), tokenType: t.tokenType, issuedAt, expiresAt });
      return { token: t.accessToken, tokenType: t.tokenType };
    })().finally(() => inFlight().delete(key));
    inFlight().set(key, pending);
  }
  return pending;
}
