import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { createCredentialIn } from "../credentials/create-credential";
import { updateCredentialIn } from "../credentials/update-credential";
import { attachCredentialUsage } from "../credentials/use-credential";
import { secretEquals } from "../connectors/secrets";
import { AppError } from "../errors";
import { MCP_HEADERS_HTTP_ONLY, MCP_OAUTH_HTTP_ONLY, type McpAuthUpdateInput } from "../schemas/mcp";
import { dropHeaderCredential, MCP_OWNER } from "./headers";

// A server's authentication settings: the type, and for OAuth the configured client (its secret a workspace
// credential `mcp:<server>:oauth-client-secret`, used by the server) and the scopes to ask for.

export type McpAuthType = "none" | "headers" | "oauth";

export interface StoredAuth {
  authType: McpAuthType;
  oauthClientId: string | null;
  oauthClientSecretId: string | null;
  oauthScopes: string[];
}

const invalid = (path: string, message: string) =>
  new AppError("validation_failed", "The MCP server is invalid; nothing was saved", { fields: [{ path, message }] });

/**
 * OAuth and headers are HTTP's: a stdio server takes its secrets as environment variables (422 on auth.type). A
 * server that used OAuth is not switched to stdio silently (its connection would be dropped): the caller says
 * `auth: { type: "none" }`.
 */
export function checkAuthTransport(transport: string, inputType: McpAuthType | undefined, beforeType: string | undefined) {
  if (transport !== "stdio") return;
  if (inputType === "oauth" || (!inputType && beforeType === "oauth")) throw invalid("auth.type", MCP_OAUTH_HTTP_ONLY);
  if (inputType === "headers") throw invalid("auth.type", MCP_HEADERS_HTTP_ONLY);
}

/** The settings an input asks for, checked against the transport and the headers the server will have. */
export function resolveAuth(
  before: StoredAuth | null,
  input: McpAuthUpdateInput | undefined,
  headerNames: string[],
  transport: string,
): { auth: StoredAuth; secret: string | null | undefined } {
  checkAuthTransport(transport, input?.type, before?.authType);
  const type: McpAuthType = transport === "stdio" ? "none" : (input?.type ?? before?.authType ?? (headerNames.length ? "headers" : "none"));
  if (type === "none" && headerNames.length)
    throw invalid("headers", "A server without authentication sends no headers: choose Headers, or remove them");
  if (type === "headers" && !headerNames.length) throw invalid("headers", "Give at least one header, or choose no authentication");
  if (type === "oauth" && headerNames.some((n) => n.toLowerCase() === "authorization"))
    throw invalid("headers", "With OAuth Switchboard sends the Authorization header itself: remove that header");
  if (type !== "oauth") {
    for (const k of ["clientId", "clientSecret", "scopes"] as const)
      if (input?.[k] !== undefined && input[k] !== null) throw invalid(`auth.${k}`, "Only for OAuth");
    return { auth: { authType: type, oauthClientId: null, oauthClientSecretId: null, oauthScopes: [] }, secret: null };
  }
  const keep = before?.authType === "oauth";
  const clientId = input?.clientId === undefined ? (keep ? (before?.oauthClientId ?? null) : null) : input.clientId;
  const secret = input?.clientSecret;
  const hasSecret = secret === undefined ? keep && !!before?.oauthClientSecretId : secret !== null;
  if (hasSecret && !clientId) throw invalid("auth.clientSecret", "A client secret needs its client id");
  const scopes = input?.scopes ?? (keep ? (before?.oauthScopes ?? []) : []);
  return {
    auth: { authType: "oauth", oauthClientId: clientId, oauthClientSecretId: before?.oauthClientSecretId ?? null, oauthScopes: scopes },
    // undefined: keep the stored secret (when the server stays OAuth), null: remove it, a string: set it.
    secret: secret === undefined ? (keep && clientId ? undefined : null) : secret,
  };
}

/** Brings the client secret's credential to `secret` (undefined keeps it); returns its id and whether it changed. */
export async function syncClientSecret(
  tx: Tx,
  ctx: { actor: Actor; workspaceId: string; server: { id: string; name: string }; source: string; requestId?: string },
  currentId: string | null,
  secret: string | null | undefined,
): Promise<{ id: string | null; changed: boolean }> {
  if (secret === undefined) return { id: currentId, changed: false };
  if (secret === null) {
    if (!currentId) return { id: null, changed: false };
    await dropHeaderCredential(tx, ctx, currentId);
    return { id: null, changed: true };
  }
  if (currentId) {
    if (await secretEquals(tx, ctx.workspaceId, currentId, secret)) return { id: currentId, changed: false };
    await updateCredentialIn(tx, {
      actor: ctx.actor,
      workspaceId: ctx.workspaceId,
      credentialId: currentId,
      input: { value: secret },
      requestId: ctx.requestId,
    });
    return { id: currentId, changed: true };
  }
  const base = `mcp:${ctx.server.name}:oauth-client-secret`
    .replace(/[^\p{L}\p{N} ._:/-]+/gu, "-")
    .slice(0, 76)
    .trim();
  let name = base;
  for (
    let i = 2;
    await tx.credential.findFirst({
      where: { workspaceId: ctx.workspaceId, name: { equals: name, mode: "insensitive" } },
      select: { id: true },
    });
    i++
  )
    name = `${base}-${i}`;
  const cred = await createCredentialIn(tx, {
    actor: ctx.actor,
    workspaceId: ctx.workspaceId,
    input: { name, kind: "oauth-client-secret", value: secret, description: `OAuth client secret of MCP server ${ctx.server.name}` },
    source: ctx.source,
    requestId: ctx.requestId,
  });
  await attachCredentialUsage(tx, { credentialId: cred.id, ownerType: MCP_OWNER, ownerId: ctx.server.id, label: ctx.server.name });
  return { id: cred.id, changed: true };
}
