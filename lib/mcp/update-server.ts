import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, forbidden, notFound } from "../errors";
import type { McpServerDto, UpdateMcpServerInput } from "../schemas/mcp";
import type { Prisma, Tx } from "../db/types";
import { mayMarkInternal, requireMcpServerAccess, type McpScope } from "./access";
import { assertMcpNameFree, checkMcpUrl, checkStdioCommand, STDIO_ADMINS_ONLY } from "./create-server";
import { storedHeaders, syncHeaders, type StoredHeader } from "./headers";
import { checkAuthTransport, resolveAuth, syncClientSecret, type McpAuthType } from "./auth-settings";
import { storedArgs } from "./target";
import { forgetMcpServer } from "./watcher";
import { z } from "../schemas/zod";
import { checkTransportFields } from "../schemas/mcp";
import { getMcpServerIn } from "./server-dto";
import { refreshMcpServer } from "./refresh-server";

/** What an edit compares the request with (the update here, and the config section's apply). */
export const mcpServerEditSelect = {
  id: true,
  name: true,
  transport: true,
  url: true,
  internal: true,
  headers: true,
  command: true,
  args: true,
  env: true,
  authType: true,
  oauthClientId: true,
  oauthClientSecretId: true,
  oauthScopes: true,
} satisfies Prisma.McpServerSelect;

const invalid = (path: string, message: string) =>
  new AppError("validation_failed", "The MCP server is invalid; nothing was saved", { fields: [{ path, message }] });

/** Applies an edit inside `tx`; returns the fields that changed (none: nothing written). */
export async function updateMcpServerIn(
  tx: Tx,
  opts: { actor: Actor; serverId: string; scope: McpScope; input: UpdateMcpServerInput; source?: string; requestId?: string },
): Promise<string[]> {
  const { actor, serverId, scope, input } = opts;
  const before = await tx.mcpServer.findFirst({
    where: { id: serverId, workspaceId: scope.workspaceId },
    select: mcpServerEditSelect,
  });
  if (!before) throw notFound("MCP server");
  const isAdmin = mayMarkInternal(actor, scope.role);
  const stdio = (input.transport ?? before.transport) === "stdio";
  // A stdio server runs a command on this host: only an Admin may create one by switching, or change one.
  if ((stdio || before.transport === "stdio") && !isAdmin) throw forbidden(STDIO_ADMINS_ONLY);
  if (input.internal !== undefined && input.internal !== before.internal && !isAdmin)
    throw forbidden("Only an Admin can change whether an MCP server may reach private addresses");
  const beforeArgs = storedArgs(before.args);
  const after = {
    name: input.name ?? before.name,
    transport: input.transport ?? before.transport,
    url: stdio ? (input.url ?? "") : (input.url ?? before.url),
    internal: stdio ? false : (input.internal ?? before.internal),
    command: stdio ? (input.command ?? before.command) : (input.command ?? null),
    args: stdio ? (input.args ?? beforeArgs) : (input.args ?? []),
  };
  // The combination must suit the transport (a stdio server keeps no URL or headers, an HTTP one no command).
  const check = updateShape.safeParse({
    transport: after.transport,
    url: after.url,
    command: after.command ?? undefined,
    args: after.args,
    env: stdio ? [] : (input.env ?? []),
    headers: stdio ? (input.headers ?? []) : [],
    auth: input.auth,
  });
  if (!check.success) {
    const issue = check.error.issues[0];
    throw invalid(issue.path.join("."), issue.message);
  }
  checkAuthTransport(after.transport, input.auth?.type, before.authType);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of ["name", "transport", "url", "internal", "command"] as const)
    if (after[k] !== before[k]) changes[k] = { from: before[k], to: after[k] };
  if (JSON.stringify(after.args) !== JSON.stringify(beforeArgs)) changes.args = { from: beforeArgs, to: after.args };
  // An internal server's URL reaches the private network: only an Admin may point it elsewhere.
  if (changes.url && after.internal && !isAdmin)
    throw forbidden("Only an Admin can change the URL of an MCP server that may reach private addresses");
  // Stored header values and an OAuth client secret are sent to the URL's host: pointing the server at another
  // origin would hand them to that host. An Admin may; anyone else only by giving every stored value again.
  if (changes.url && !stdio && !isAdmin && originOf(before.url) !== originOf(after.url)) {
    const given = (name: string) => input.headers?.some((h) => h.name.toLowerCase() === name.toLowerCase() && h.value !== undefined);
    const dropped = (name: string) =>
      input.headers !== undefined && !input.headers.some((h) => h.name.toLowerCase() === name.toLowerCase());
    const keptHeaders = storedHeaders(before.headers).filter((h) => !given(h.name) && !dropped(h.name));
    const keptClientSecret = before.oauthClientSecretId !== null && input.auth?.clientSecret === undefined;
    if (keptHeaders.length || keptClientSecret)
      throw forbidden(
        `Moving the server to another host would send its stored ${keptHeaders.length ? `header values (${keptHeaders.map((h) => h.name).join(", ")})` : "OAuth client secret"} there: give them again with the new URL, or ask an Admin`,
      );
  }
  if (!stdio && (changes.url || changes.internal || changes.transport)) checkMcpUrl(after.url, after.internal);
  if (stdio && (changes.command || changes.transport)) checkStdioCommand(after.command ?? "");
  if (changes.name) await assertMcpNameFree(tx, scope.workspaceId, after.name, serverId);
  const ctx = { actor, workspaceId: scope.workspaceId, server: { id: serverId, name: after.name }, source: opts.source ?? "console" };
  // Stored secrets brought to what was asked: a name without a value keeps its value; switching transport drops
  // the other kind's secrets.
  const sync = async (what: "header" | "env", current: StoredHeader[], wanted: { name: string; value?: string }[] | undefined) => {
    if (!wanted) return current;
    for (const h of wanted)
      if (h.value === undefined && !current.some((s) => s.name.toLowerCase() === h.name.toLowerCase()))
        throw invalid(what === "env" ? "env" : "headers", `${what === "env" ? "Variable" : "Header"} ${h.name} is new: give its value`);
    const synced = await syncHeaders(tx, { ...ctx, requestId: opts.requestId }, current, wanted, what);
    if (synced.changed)
      changes[what === "env" ? "env" : "headers"] = { from: current.map((h) => h.name), to: synced.headers.map((h) => h.name) };
    return synced.headers;
  };
  const headers = await sync("header", storedHeaders(before.headers), stdio ? [] : input.headers);
  const envVars = await sync("env", storedHeaders(before.env), stdio ? input.env : []);
  const { auth, secret } = resolveAuth(
    { ...before, authType: before.authType as McpAuthType },
    input.auth,
    headers.map((h) => h.name),
    after.transport,
  );
  if (auth.authType !== before.authType) changes.authType = { from: before.authType, to: auth.authType };
  if (auth.oauthClientId !== before.oauthClientId) changes.oauthClientId = { from: before.oauthClientId, to: auth.oauthClientId };
  if (auth.oauthScopes.join(" ") !== before.oauthScopes.join(" ")) changes.oauthScopes = { from: before.oauthScopes, to: auth.oauthScopes };
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
      env: envVars as object[],
      authType: auth.authType,
      oauthClientId: auth.oauthClientId,
      oauthClientSecretId: clientSecret.id,
      oauthScopes: auth.oauthScopes,
      ...(fields.some((f) => f !== "name") ? { status: "untested" } : {}),
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

const updateShape = z
  .object({})
  .passthrough()
  .superRefine((v, ctx) => checkTransportFields(v as Parameters<typeof checkTransportFields>[0], ctx));

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
  if (fields.some((f) => f !== "name")) {
    // The live session (if any) used the old settings: the watcher opens a new one at its next sync.
    await forgetMcpServer(opts.serverId);
    await refreshMcpServer(opts.serverId);
  }
  const dto = await getMcpServerIn(db, { id: opts.serverId, workspaceId: scope.workspaceId });
  if (!dto) throw notFound("MCP server");
  return dto;
}

/** The origin of a URL (scheme, host, port); the text itself when it does not parse. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
