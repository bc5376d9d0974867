import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

// A real OAuth 2.0 / OIDC authorization server (oidc-provider) on loopback, and a small API that accepts only
// its live access tokens, for the OAuth tests (db tests and e2e). PKCE is required, refresh tokens rotate, and
// the clock tolerance is 0 so an expired token is refused as soon as it expires.

export const CLIENT_ID = "switchboard";
export const CLIENT_SECRET = "oauth-client-secret-canary-7f3a91";

export interface AuthServer {
  issuer: string;
  provider: Provider;
  /** Successful refresh_token grants; failed token grants by error. */
  refreshes: () => number;
  grantErrors: string[];
  /** Access token lifetime in seconds for tokens issued from now on. */
  setAccessTtl: (seconds: number) => void;
  /** Makes the token endpoint answer 503 (true) or work again. */
  setTokenEndpointDown: (down: boolean) => void;
  close: () => Promise<void>;
}

export async function startAuthServer(opts: { redirectUri: string; host?: string }): Promise<AuthServer> {
  const host = opts.host ?? "127.0.0.1";
  let accessTtl = 3600;
  let refreshCount = 0;
  let tokenDown = false;
  const grantErrors: string[] = [];
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, host, r));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code", "refresh_token", "client_credentials"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
        scope: "openid offline_access notes.read",
      },
    ],
    scopes: ["openid", "offline_access", "notes.read"],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    clockTolerance: 0,
    features: { devInteractions: { enabled: true }, revocation: { enabled: true }, clientCredentials: { enabled: true } },
    ttl: { AccessToken: () => accessTtl, ClientCredentials: () => accessTtl },
  });
  provider.on("grant.success", (ctx) => {
    if ((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type === "refresh_token") refreshCount++;
  });
  provider.on("grant.error", (_ctx, err) => grantErrors.push((err as { error?: string }).error ?? String(err)));
  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (tokenDown && req.url?.startsWith("/token")) return res.writeHead(503).end("down");
    callback(req, res);
  });
  return {
    issuer,
    provider,
    refreshes: () => refreshCount,
    grantErrors,
    setAccessTtl: (s) => (accessTtl = s),
    setTokenEndpointDown: (down) => (tokenDown = down),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface NotesApi {
  url: string;
  /** Bearer tokens the API accepted, with the account (sub) or client they belong to. */
  accepted: { token: string; subject: string }[];
  rejected: number;
  close: () => Promise<void>;
}

/** GET /me answers `{ subject }` for a live access token of the server, 401 otherwise. */
export async function startNotesApi(auth: AuthServer, host = "127.0.0.1"): Promise<NotesApi> {
  const accepted: NotesApi["accepted"] = [];
  const api: NotesApi = { url: "", accepted, rejected: 0, close: async () => undefined };
  const server = http.createServer(async (req, res) => {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const at = token ? ((await auth.provider.AccessToken.find(token)) ?? (await auth.provider.ClientCredentials.find(token))) : undefined;
    if (!at || at.isExpired) {
      api.rejected++;
      return res
        .writeHead(401, { "content-type": "application/json", "www-authenticate": 'Bearer error="invalid_token"' })
        .end('{"error":"invalid_token"}');
    }
    const subject = "accountId" in at && at.accountId ? String(at.accountId) : `client:${at.clientId}`;
    accepted.push({ token, subject });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ subject }));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  api.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  api.close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return api;
}

/** The API's OpenAPI document, with the server's oauth2 scheme (so a connector's URLs default from it). */
export const notesDocument = (apiUrl: string, issuer: string) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Notes", version: "1" },
    servers: [{ url: apiUrl }],
    components: {
      securitySchemes: {
        oauth: {
          type: "oauth2",
          flows: {
            authorizationCode: { authorizationUrl: `${issuer}/auth`, tokenUrl: `${issuer}/token`, scopes: { "notes.read": "Read notes" } },
          },
        },
      },
    },
    security: [{ oauth: ["notes.read"] }],
    paths: { "/me": { get: { operationId: "me", responses: { 200: { description: "who the token belongs to" } } } } },
  });

/**
 * Plays the end user at the authorization server's dev interactions (login with any name, then consent) by
 * following redirects and posting its forms, with a cookie jar; answers the URL the server finally redirects to
 * (our callback with `code` and `state`).
 */
export async function signInAndConsent(authorizeUrl: string, opts: { login: string; stopAt: string }): Promise<URL> {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  let url = new URL(authorizeUrl);
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(opts.stopAt)) return url;
    const res = await fetch(url, {
      ...(body === undefined ? { method: "GET" } : { method: "POST", body }),
      redirect: "manual",
      headers: { cookie: cookie(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    });
    remember(res);
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url);
      body = undefined;
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`No form at ${url.pathname} (${res.status}): ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(m[1], m[2]);
    if (/name="login"/.test(form[2])) {
      fields.set("login", opts.login);
      fields.set("password", "any-password");
    }
    url = new URL(form[1].replace(/&amp;/g, "&"), url);
    body = fields.toString();
  }
  throw new Error("Too many steps at the authorization server");
}
