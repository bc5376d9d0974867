import { db } from "../db/client";
import type { Tx } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, forbidden, isAppError, notFound } from "../errors";
import { checkOutboundUrl } from "../outbound/fetch";
import type { CreateMcpServerInput, McpServerDto } from "../schemas/mcp";
import { mayMarkInternal } from "./access";
import { syncHeaders } from "./headers";
import { resolveAuth, syncClientSecret } from "./auth-settings";
import { getMcpServerIn } from "./server-dto";
import { refreshMcpServer } from "./refresh-server";
import { stdioPolicy, STDIO_DISABLED, stdioRefusal } from "./stdio";

const NAME_TAKEN = "An MCP server with this name already exists in this workspace";

export async function assertMcpNameFree(tx: Tx, workspaceId: string, name: string, exceptId?: string) {
  const clash = await tx.mcpServer.findFirst({
    where: { workspaceId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict(NAME_TAKEN, "name");
}

/** The URL as the outbound guard sees it before any connection (scheme, credentials, port, literal address). */
export function checkMcpUrl(url: string, internal: boolean) {
  try {
    checkOutboundUrl(url, internal);
  } catch (e) {
    if (!isAppError(e)) throw e;
    const message = internal ? e.message : `${e.message}; an Admin can mark the server internal to allow private addresses`;
    throw new AppError("validation_failed", "The MCP server is invalid; nothing was saved", { fields: [{ path: "url", message }] });
  }
}

/**
 * A stdio server may be saved only while the operator allows stdio, with an allow-listed command: 400 with the
 * field at fault (transport when stdio is off, command when it is not on the list).
 */
export function checkStdioCommand(command: string) {
  const refused = stdioRefusal(command);
  if (!refused) return;
  const path = stdioPolicy().enabled ? "command" : "transport";
  throw new AppError("bad_request", refused === STDIO_DISABLED ? refused : `The MCP server is invalid; nothing was saved: ${refused}`, {
    fields: [{ path, message: refused }],
  });
}

export const STDIO_ADMINS_ONLY = "Only an Admin can register or change a stdio MCP server: it runs a command on the Switchboard host";

export async function createMcpServerIn(
  tx: Tx,
  opts: { actor: Actor; workspaceId: string; input: CreateMcpServerInput; source?: string; requestId?: string },
): Promise<string> {
  const { actor, workspaceId, input } = opts;
  const stdio = input.transport === "stdio";
  // OAuth and header authentication are for HTTP servers; a stdio server takes its secrets as variables.
  const { auth, secret } = resolveAuth(null, input.auth, stdio ? [] : input.headers.map((h) => h.name), input.transport);
  if (stdio) checkStdioCommand(input.command ?? "");
  else checkMcpUrl(input.url, input.internal);
  await assertMcpNameFree(tx, workspaceId, input.name);
  // registry-neutral: MCP servers are not in the gateway's routing snapshot.
  const row = await tx.mcpServer.create({
    data: {
      workspaceId,
      name: input.name,
      transport: input.transport,
      url: stdio ? "" : input.url,
      internal: stdio ? false : input.internal,
      command: stdio ? input.command : null,
      args: stdio ? input.args : [],
      authType: auth.authType,
      oauthClientId: auth.oauthClientId,
      oauthScopes: auth.oauthScopes,
      source: opts.source ?? "console",
      createdById: actor.type === "user" ? actor.id : null,
    },
    select: { id: true, name: true },
  });
  const ctx = { actor, workspaceId, server: row, source: opts.source ?? "console", requestId: opts.requestId };
  const { headers } = await syncHeaders(tx, ctx, [], stdio ? [] : input.headers);
  const { headers: envVars } = await syncHeaders(tx, ctx, [], stdio ? input.env : [], "env");
  const clientSecret = await syncClientSecret(tx, ctx, null, secret);
  // registry-neutral: MCP servers are not in the gateway's routing snapshot.
  await tx.mcpServer.update({
    where: { id: row.id },
    data: { headers: headers as object[], env: envVars as object[], oauthClientSecretId: clientSecret.id },
    select: { id: true },
  });
  await recordAudit(tx, {
    actor,
    action: "mcp_server.create",
    targetType: "mcp_server",
    targetId: row.id,
    targetLabel: row.name,
    workspaceId,
    changes: {
      name: { from: null, to: row.name },
      transport: { from: null, to: input.transport },
      ...(stdio
        ? {
            command: { from: null, to: input.command },
            ...(input.args.length ? { args: { from: null, to: input.args } } : {}),
            ...(input.env.length ? { env: { from: null, to: input.env.map((v) => v.name) } } : {}),
          }
        : {
            url: { from: null, to: input.url },
            ...(input.headers.length ? { headers: { from: null, to: input.headers.map((h) => h.name) } } : {}),
            ...(input.internal ? { internal: { from: null, to: true } } : {}),
          }),
      authType: { from: null, to: auth.authType },
      ...(auth.oauthClientId ? { oauthClientId: { from: null, to: auth.oauthClientId } } : {}),
      ...(clientSecret.id ? { oauthClientSecret: { from: null, to: "(set)" } } : {}),
      ...(auth.oauthScopes.length ? { oauthScopes: { from: null, to: auth.oauthScopes } } : {}),
    },
    requestId: opts.requestId,
  });
  return row.id;
}

/** Registers a server, then discovers its tools, resources and prompts (a server that cannot be reached is saved as failing). */
export async function createMcpServer(opts: {
  actor: Actor;
  workspaceId: string;
  input: CreateMcpServerInput;
  requestId?: string;
}): Promise<McpServerDto> {
  const role = await requireWorkspacePermission(opts.actor, opts.workspaceId, "integrations.manage");
  if (opts.input.transport === "stdio" && !mayMarkInternal(opts.actor, role)) throw forbidden(STDIO_ADMINS_ONLY);
  if (opts.input.internal && !mayMarkInternal(opts.actor, role))
    throw forbidden("Only an Admin can let an MCP server reach private addresses");
  let id: string;
  try {
    id = await db.$transaction((tx) => createMcpServerIn(tx, opts));
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(NAME_TAKEN, "name");
    throw e;
  }
  // An OAuth server is discovered once an Admin has connected it.
  if (opts.input.auth?.type !== "oauth") await refreshMcpServer(id);
  const dto = await getMcpServerIn(db, { id, workspaceId: opts.workspaceId });
  if (!dto) throw notFound("MCP server");
  return dto;
}
