import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, forbidden, notFound } from "../errors";
import type { McpServerDto, UpdateMcpServerInput } from "../schemas/mcp";
import type { Tx } from "../db/types";
import { mayMarkInternal, requireMcpServerAccess, type McpScope } from "./access";
import { assertMcpNameFree, checkMcpUrl } from "./create-server";
import { storedHeaders, syncHeaders } from "./headers";
import { resolveAuth, syncClientSecret, type McpAuthType } from "./auth-settings";
import { getMcpServerIn } from "./server-dto";
import { refreshMcpServer } from "./refresh-server";

/** Applies an edit inside `tx`; returns the fields that changed (none: nothing written). */
export async function updateMcpServerIn(
  tx: Tx,
  opts: { actor: Actor; serverId: string; scope: McpScope; input: UpdateMcpServerInput; source?: string; requestId?: string },
): Promise<string[]> {
  const { actor, serverId, scope, input } = opts;
  const before = await tx.mcpServer.findFirst({
    where: { id: serverId, workspaceId: scope.workspaceId },
    select: {
      id: true,
      name: true,
      transport: true,
      url: true,
      internal: true,
      headers: true,
      authType: true,
      oauthClientId: true,
      oauthClientSecretId: true,
      oauthScopes: true,
    },
  });
  if (!before) throw notFound("MCP server");
  if (input.internal !== undefined && input.internal !== before.internal && !mayMarkInternal(actor, scope.role))
    throw forbidden("Only an Admin can change whether an MCP server may reach private addresses");
  const after = {
    name: input.name ?? before.name,
    transport: input.transport ?? before.transport,
    url: input.url ?? before.url,
    internal: input.internal ?? before.internal,
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of ["name", "transport", "url", "internal"] as const)
    if (after[k] !== before[k]) changes[k] = { from: before[k], to: after[k] };
  // An internal server's URL reaches the private network: only an Admin may point it elsewhere.
  if (changes.url && after.internal && !mayMarkInternal(actor, scope.role))
    throw forbidden("Only an Admin can change the URL of an MCP server that may reach private addresses");
  if (changes.url || changes.internal) checkMcpUrl(after.url, after.internal);
  if (changes.name) await assertMcpNameFree(tx, scope.workspaceId, after.name, serverId);
  let headers = storedHeaders(before.headers);
  if (input.headers) {
    for (const h of input.headers)
      if (h.value === undefined && !headers.some((s) => s.name.toLowerCase() === h.name.toLowerCase()))
        throw new AppError("validation_failed", "The MCP server is invalid; nothing was saved", {
          fields: [{ path: "headers", message: `Header ${h.name} is new: give its value` }],
        });
    const ctx = { actor, workspaceId: scope.workspaceId, server: { id: serverId, name: after.name }, source: opts.source ?? "console" };
    const synced = await syncHeaders(tx, { ...ctx, requestId: opts.requestId }, headers, input.headers);
    if (synced.changed) changes.headers = { from: headers.map((h) => h.name), to: synced.headers.map((h) => h.name) };
    headers = synced.headers;
  }
  const { auth, secret } = resolveAuth(
    { ...before, authType: before.authType as McpAuthType },
    input.auth,
    headers.map((h) => h.name),
  );
  if (auth.authType !== before.authType) changes.authType = { from: before.authType, to: auth.authType };
  if (auth.oauthClientId !== before.oauthClientId) changes.oauthClientId = { from: before.oauthClientId, to: auth.oauthClientId };
  if (auth.oauthScopes.join(" ") !== before.oauthScopes.join(" ")) changes.oauthScopes = { from: before.oauthScopes, to: auth.oauthScopes };
  const ctx = { actor, workspaceId: scope.workspaceId, server: { id: serverId, name: after.name }, source: opts.source ?? "console" };
  const clientSecret = await syncClientSecret(tx, { ...ctx, requestId: opts.requestId }, before.oauthClientSecretId, secret);
  if (clientSecret.changed)
    changes.oauthClientSecret = { from: before.oauthClientSecretId ? "(set)" : null, to: clientSecret.id ? "(set)" : null };
  const fields = Object.keys(changes);
  if (!fields.length) return [];
  // registry-neutral: MCP servers are not in the gateway's routing snapshot.
  await tx.mcpServer.update({
    where: { id: serverId, workspaceId: scope.workspaceId },
    data: {
      ...after,
      headers: headers as object[],
      authType: auth.authType,
      oauthClientId: auth.oauthClientId,
      oauthClientSecretId: clientSecret.id,
      oauthScopes: auth.oauthScopes,
      ...(changes.url || changes.transport || changes.headers || changes.authType ? { status: "untested" } : {}),
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    actor,
    action: "mcp_server.update",
    targetType: "mcp_server",
    targetId: serverId,
    targetLabel: after.name,
    workspaceId: scope.workspaceId,
    changes,
    requestId: opts.requestId,
  });
  // Another resource, authorization setup or client: the OAuth connection's tokens are for the old one.
  const oauthReset =
    before.authType === "oauth" &&
    (auth.authType !== "oauth" || changes.url || changes.oauthClientId || changes.oauthClientSecret || changes.oauthScopes);
  // registry-neutral: MCP OAuth connections are not in the gateway's routing snapshot.
  if (oauthReset) await tx.mcpOAuthConnection.deleteMany({ where: { serverId } });
  return fields;
}

export async function updateMcpServer(opts: {
  actor: Actor;
  serverId: string;
  input: UpdateMcpServerInput;
  requestId?: string;
}): Promise<McpServerDto> {
  const scope = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  let fields: string[];
  try {
    fields = await db.$transaction((tx) => updateMcpServerIn(tx, { ...opts, scope }));
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("An MCP server with this name already exists in this workspace", "name");
    throw e;
  }
  // Where or how the server is reached changed: discover again.
  if (fields.some((f) => f === "url" || f === "transport" || f === "headers" || f === "internal" || f === "authType"))
    await refreshMcpServer(opts.serverId);
  const dto = await getMcpServerIn(db, { id: opts.serverId, workspaceId: scope.workspaceId });
  if (!dto) throw notFound("MCP server");
  return dto;
}
