import type { AuthorizationServerMetadata, OAuthClientInformationMixed } from "@modelcontextprotocol/sdk/shared/auth.js";
import { withSecret } from "../credentials/use-credential";
import { AppError } from "../errors";
import { openToken } from "../oauth/token-seal";

// The OAuth client of an MCP server's connection: the one configured on the server (its secret a credential),
// or the one Switchboard registered dynamically (its secret sealed to the connection row).

export const MCP_OAUTH_TABLE = "McpOAuthConnection" as const;

export type McpOAuthServerRow = {
  id: string;
  workspaceId: string;
  name: string;
  url: string;
  internal: boolean;
  authType: string;
  oauthClientId: string | null;
  oauthClientSecretId: string | null;
  oauthScopes: string[];
};
export const mcpOAuthServerSelect = {
  id: true,
  workspaceId: true,
  name: true,
  url: true,
  internal: true,
  authType: true,
  oauthClientId: true,
  oauthClientSecretId: true,
  oauthScopes: true,
} as const;

/** The configured client, with its secret opened for this one use. */
export async function configuredClient(server: McpOAuthServerRow): Promise<OAuthClientInformationMixed | null> {
  if (!server.oauthClientId) return null;
  const secret = server.oauthClientSecretId
    ? await withSecret({ credentialId: server.oauthClientSecretId, workspaceId: server.workspaceId }, (s) => s)
    : undefined;
  return { client_id: server.oauthClientId, ...(secret ? { client_secret: secret } : {}) };
}

export type McpOAuthClientRow = {
  id: string;
  workspaceId: string;
  authServerUrl: string;
  authServerMetadata: unknown;
  clientSource: string;
  clientId: string | null;
  clientSecret: string | null;
  clientRedirectUri: string | null;
};

/** The client of a connection (configured, or registered dynamically), with a dynamic client's secret opened. */
export async function clientOf(
  server: McpOAuthServerRow,
  conn: McpOAuthClientRow,
  /** The configured client opened beforehand (inside a transaction the credential store is not read). */
  preopened?: OAuthClientInformationMixed | null,
): Promise<OAuthClientInformationMixed> {
  if (conn.clientSource === "configured") {
    const c = preopened !== undefined ? preopened : await configuredClient(server);
    if (!c) throw new AppError("bad_request", "The MCP server's OAuth client id was removed; set it again or connect again");
    return c;
  }
  if (!conn.clientId) throw new AppError("bad_request", "The MCP server's OAuth client is not registered; connect again");
  const metadata = conn.authServerMetadata as AuthorizationServerMetadata | undefined;
  const secret = conn.clientSecret ? openToken(conn.workspaceId, conn.id, "clientSecret", conn.clientSecret, MCP_OAUTH_TABLE) : undefined;
  return {
    client_id: conn.clientId,
    ...(secret ? { client_secret: secret } : {}),
    // The method it was registered with, so token requests authenticate the same way.
    token_endpoint_auth_method: secret ? pickAuthMethod(metadata) : "none",
  } as OAuthClientInformationMixed;
}

export function pickAuthMethod(metadata: AuthorizationServerMetadata | undefined): string {
  const supported = metadata?.token_endpoint_auth_methods_supported;
  if (!supported) return "client_secret_basic";
  for (const m of ["client_secret_basic", "client_secret_post", "none"]) if (supported.includes(m)) return m;
  return supported[0] ?? "none";
}
