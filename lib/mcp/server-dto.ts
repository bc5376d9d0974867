import type { Prisma, Tx } from "../db/types";
import type { McpOAuthStatusDto, McpServerDto } from "../schemas/mcp";
import { headerMasks, storedHeaders } from "./headers";
import { storedArgs } from "./target";

/** The server said it announces changes to its tools, resources or prompts (worth a live session). */
export function announcesListChanged(capabilities: unknown): boolean {
  const c = (capabilities ?? {}) as Record<string, { listChanged?: unknown } | undefined>;
  return ["tools", "resources", "prompts"].some((k) => c[k]?.listChanged === true);
}

export const mcpServerSelect = {
  id: true,
  workspaceId: true,
  name: true,
  transport: true,
  url: true,
  headers: true,
  authType: true,
  oauthClientId: true,
  oauthClientSecretId: true,
  oauthScopes: true,
  oauth: {
    select: {
      status: true,
      scopes: true,
      expiresAt: true,
      clientSource: true,
      clientId: true,
      authServerUrl: true,
      connectedBy: true,
      connectedAt: true,
      lastError: true,
    },
  },
  command: true,
  args: true,
  env: true,
  capabilities: true,
  resources: true,
  prompts: true,
  internal: true,
  status: true,
  lastError: true,
  statusAt: true,
  serverName: true,
  serverVersion: true,
  source: true,
  createdAt: true,
  updatedAt: true,
  tools: { select: { enabled: true } },
} satisfies Prisma.McpServerSelect;

type Row = Prisma.McpServerGetPayload<{ select: typeof mcpServerSelect }>;

/** The OAuth connection's state, without anything secret (tokens and client secrets stay in their rows). */
function oauthStatus(r: Row): McpOAuthStatusDto | null {
  if (r.authType !== "oauth") return null;
  const c = r.oauth;
  const status = (c?.status ?? "not_connected") as McpOAuthStatusDto["status"];
  const configured = !!r.oauthClientId;
  return {
    status,
    connected: status === "active",
    needsReauth: status === "needs_reauth",
    scopes: status === "active" && c ? c.scopes : r.oauthScopes,
    configuredScopes: r.oauthScopes,
    expiresAt: status === "active" ? (c?.expiresAt?.toISOString() ?? null) : null,
    clientId: configured ? r.oauthClientId : (c?.clientId ?? null),
    clientSource: configured ? "configured" : c?.clientId ? "dynamic" : null,
    hasClientSecret: !!r.oauthClientSecretId,
    authorizationServer: c?.authServerUrl ?? null,
    connectedBy: status === "active" ? (c?.connectedBy ?? null) : null,
    connectedAt: status === "active" ? (c?.connectedAt?.toISOString() ?? null) : null,
    lastError: c?.lastError ?? "",
  };
}

export async function toMcpServerDto(tx: Tx, r: Row): Promise<McpServerDto> {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    name: r.name,
    transport: r.transport as McpServerDto["transport"],
    url: r.url,
    headers: await headerMasks(r.workspaceId, storedHeaders(r.headers), tx),
    authType: r.authType as McpServerDto["authType"],
    oauth: oauthStatus(r),
    command: r.command,
    args: storedArgs(r.args),
    env: await headerMasks(r.workspaceId, storedHeaders(r.env), tx),
    internal: r.internal,
    status: r.status as McpServerDto["status"],
    lastError: r.lastError,
    statusAt: r.statusAt?.toISOString() ?? null,
    serverName: r.serverName,
    serverVersion: r.serverVersion,
    toolCount: r.tools.length,
    enabledToolCount: r.tools.filter((t) => t.enabled).length,
    resourceCount: Array.isArray(r.resources) ? r.resources.length : 0,
    promptCount: Array.isArray(r.prompts) ? r.prompts.length : 0,
    watched: r.status === "active" && announcesListChanged(r.capabilities),
    source: r.source,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function getMcpServerIn(tx: Tx, where: { id: string; workspaceId: string }): Promise<McpServerDto | null> {
  const row = await tx.mcpServer.findFirst({ where, select: mcpServerSelect });
  return row ? toMcpServerDto(tx, row) : null;
}
