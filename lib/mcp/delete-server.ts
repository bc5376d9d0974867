import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import { requireMcpServerAccess } from "./access";
import { dropHeaderCredential, storedHeaders } from "./headers";
import { forgetMcpServer } from "./watcher";

/**
 * Deletes a server with its tools, call records and OAuth connection, and the header, env and client secret
 * credentials only it used; ends its live session.
 */
export async function deleteMcpServer(opts: { actor: Actor; serverId: string; requestId?: string }): Promise<void> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  await db.$transaction(async (tx) => {
    const row = await tx.mcpServer.findFirst({
      where: { id: opts.serverId, workspaceId },
      select: { id: true, name: true, headers: true, env: true, oauthClientSecretId: true },
    });
    if (!row) throw notFound("MCP server");
    // registry-neutral: MCP servers are not in the gateway's routing snapshot.
    await tx.mcpServer.delete({ where: { id: row.id } });
    const ctx = { actor: opts.actor, workspaceId, server: row, requestId: opts.requestId };
    for (const h of [...storedHeaders(row.headers), ...storedHeaders(row.env)]) await dropHeaderCredential(tx, ctx, h.credentialId);
    if (row.oauthClientSecretId) await dropHeaderCredential(tx, ctx, row.oauthClientSecretId);
    await recordAudit(tx, {
      actor: opts.actor,
      action: "mcp_server.delete",
      targetType: "mcp_server",
      targetId: row.id,
      targetLabel: row.name,
      workspaceId,
      changes: { name: { from: row.name, to: null } },
      requestId: opts.requestId,
    });
  });
  await forgetMcpServer(opts.serverId);
}
