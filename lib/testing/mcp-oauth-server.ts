import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { errors as oidcErrors } from "oidc-provider";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

// An OAuth-protected MCP server as the MCP authorization specification describes one, for tests: a real
// authorization server (oidc-provider: dynamic client registration, PKCE required, resource indicators with
// audience-bound opaque tokens, rotating refresh tokens, no clock tolerance) and an MCP server (the SDK's
// McpServer over Streamable HTTP, stateless) that answers 401 with `WWW-Authenticate: Bearer resource_metadata=`
// and accepts only live access tokens issued for its own URL as the resource.

export const MCP_SCOPES = ["mcp:tools", "offline_access"];

export interface OAuthMcpServer {
  /** The MCP endpoint. */
  url: string;
  issuer: string;
  provider: Provider;
  /** Successful refresh_token grants (of one client when given: other tests' background refreshes do not count). */
  refreshes: (clientId?: string) => number;
  registrations: () => number;
  /** Failed token requests, by OAuth error code. */
  grantErrors: string[];
  /** What the MCP server saw: accepted bearer tokens, and requests it refused with 401. */
  accepted: string[];
  rejected: () => number;
  /** The authorize requests' parameters (resource, code_challenge_method...). */
  authorizeParams: URLSearchParams[];
  /** The successful token requests' parameters (grant_type, resource, redirect_uri...; no secrets or codes). */
  tokenParams: URLSearchParams[];
  /** Makes the token endpoint answer 503 (true) or work again. */
  setTokenEndpointDown: (down: boolean) => void;
  close: () => Promise<void>;
}

function mcpServer() {
  const server = new McpServer({ name: "notes-mcp", version: "2.1.0" });
  server.registerTool("whoami", { description: "Who the bearer token belongs to", inputSchema: {} }, async (_args, extra) => ({
    content: [{ type: "text", text: String(extra.authInfo?.extra?.subject ?? "unknown") }],
  }));
  server.registerTool("add_note", { description: "Adds a note", inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: "text", text: `saved: ${text}` }],
  }));
  return server;
}

export async function startOAuthMcpServer(host = "127.0.0.1"): Promise<OAuthMcpServer> {
  let refreshCount = 0;
  const refreshesByClient = new Map<string, number>();
  let registrationCount = 0;
  let rejectedCount = 0;
  let tokenDown = false;
  const accepted: string[] = [];
  const authorizeParams: URLSearchParams[] = [];
  const tokenParams: URLSearchParams[] = [];

  const mcpHttp = http.createServer();
  await new Promise<void>((r) => mcpHttp.listen(0, host, r));
  const mcpOrigin = `http://${host}:${(mcpHttp.address() as AddressInfo).port}`;
  const mcpUrl = `${mcpOrigin}/mcp`;

  const asHttp = http.createServer();
  await new Promise<void>((r) => asHttp.listen(0, host, r));
  const issuer = `http://${host}:${(asHttp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    scopes: ["openid", ...MCP_SCOPES],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    clockTolerance: 0,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? mcpUrl,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== mcpUrl) throw new oidcErrors.InvalidTarget();
          return { scope: "mcp:tools offline_access", audience: mcpUrl, accessTokenFormat: "opaque", accessTokenTTL: 3600 };
        },
      },
    },
  });
  provider.on("grant.success", (ctx) => {
    const params = (ctx.oidc.params ?? {}) as Record<string, unknown>;
    if (params.grant_type === "refresh_token") {
      refreshCount++;
      const client = ctx.oidc.client?.clientId ?? "";
      refreshesByClient.set(client, (refreshesByClient.get(client) ?? 0) + 1);
    }
    tokenParams.push(
      new URLSearchParams(
        Object.entries(params).flatMap(([k, v]) =>
          typeof v === "string" && k !== "client_secret" && k !== "code" && k !== "refresh_token" ? [[k, v]] : [],
        ),
      ),
    );
  });
  provider.on("registration_create.success", () => registrationCount++);
  const grantErrors: string[] = [];
  provider.on("grant.error", (_ctx, err) => grantErrors.push((err as { error?: string }).error ?? String(err)));
  const callback = provider.callback();
  asHttp.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/auth") authorizeParams.push(url.searchParams);
    if (tokenDown && url.pathname === "/token") return res.writeHead(503).end("down");
    callback(req, res);
  });

  const resourceMetadataUrl = `${mcpOrigin}/.well-known/oauth-protected-resource/mcp`;
  mcpHttp.on("request", async (req, res) => {
    const url = new URL(req.url ?? "/", mcpOrigin);
    if (url.pathname === "/.well-known/oauth-protected-resource/mcp") {
      return res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          resource: mcpUrl,
          authorization_servers: [issuer],
          scopes_supported: MCP_SCOPES,
          bearer_methods_supported: ["header"],
        }),
      );
    }
    if (url.pathname !== "/mcp") return res.writeHead(404).end();
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const at = token ? await provider.AccessToken.find(token) : undefined;
    if (!at || at.isExpired || at.aud !== mcpUrl) {
      rejectedCount++;
      return res
        .writeHead(401, {
          "content-type": "application/json",
          "www-authenticate": `Bearer error="invalid_token", resource_metadata="${resourceMetadataUrl}"`,
        })
        .end('{"error":"invalid_token"}');
    }
    accepted.push(token);
    (req as http.IncomingMessage & { auth?: unknown }).auth = {
      token,
      clientId: at.clientId,
      scopes: (at.scope ?? "").split(" "),
      extra: { subject: at.accountId },
    };
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req as http.IncomingMessage & { auth?: never }, res);
  });

  return {
    url: mcpUrl,
    issuer,
    provider,
    refreshes: (clientId?: string) => (clientId === undefined ? refreshCount : (refreshesByClient.get(clientId) ?? 0)),
    registrations: () => registrationCount,
    grantErrors,
    accepted,
    rejected: () => rejectedCount,
    authorizeParams,
    tokenParams,
    setTokenEndpointDown: (down) => (tokenDown = down),
    close: async () => {
      mcpHttp.closeAllConnections();
      asHttp.closeAllConnections();
      await Promise.all([new Promise((r) => mcpHttp.close(r)), new Promise((r) => asHttp.close(r))]);
    },
  };
}
