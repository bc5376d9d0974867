import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import { requireConnectorAccess } from "./access";
import { storedSettings } from "./connector-dto";
import { dropSecret } from "./secrets";

/** Deletes a connector (its assignments and call records go with it) and the credentials only it used. */
export async function deleteConnector(opts: { actor: Actor; connectorId: string; requestId?: string }): Promise<void> {
  const scope = await requireConnectorAccess(opts.actor, opts.connectorId, "integrations.manage");
  await db.$transaction(async (tx) => {
    const row = await tx.connector.findFirst({
      where: scope.where,
      select: { id: true, name: true, authMode: true, authSettings: true, provider: { select: { name: true } } },
    });
    if (!row) throw notFound("Connector");
    // registry-neutral: connectors are not in the gateway's routing snapshot.
    await tx.connector.delete({ where: { id: row.id, workspaceId: scope.workspaceId } });
    const ctx = { actor: opts.actor, workspaceId: scope.workspaceId, connector: { id: row.id, name: row.name }, requestId: opts.requestId };
    for (const id of Object.values(storedSettings(row).secretIds)) await dropSecret(tx, ctx, id);
    await recordAudit(tx, {
      actor: opts.actor,
      action: "connector.delete",
      targetType: "connector",
      targetId: row.id,
      targetLabel: row.name,
      workspaceId: scope.workspaceId,
      changes: {
        name: { from: row.name, to: null },
        provider: { from: row.provider.name, to: null },
        authMode: { from: row.authMode, to: null },
      },
      requestId: opts.requestId,
    });
  });
}
