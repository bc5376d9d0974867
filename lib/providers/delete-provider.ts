import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors";
import { requireProviderAccess } from "./access";

/** Deletes a provider with its versions and operations; refused while connectors use it, naming them. */
export async function deleteProvider(opts: { actor: Actor; providerId: string; requestId?: string }): Promise<void> {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.manage");
  await db.$transaction(async (tx) => {
    const row = await tx.provider.findFirst({
      where: { id: opts.providerId, workspaceId },
      select: { id: true, name: true, _count: { select: { versions: true, operations: true } } },
    });
    if (!row) throw notFound("Provider");
    const users = await tx.connector.findMany({
      where: { providerId: row.id, workspaceId },
      select: { name: true },
      orderBy: { name: "asc" },
      take: 20,
    });
    if (users.length) {
      const names = users.map((c) => `"${c.name}"`).join(", ");
      throw new AppError("conflict", `Connectors use this provider (${names}); delete them first`, {
        fields: users.map((c) => ({ path: "connectors", message: c.name })),
      });
    }
    await tx.provider.delete({ where: { id: row.id, workspaceId } });
    await recordAudit(tx, {
      actor: opts.actor,
      action: "provider.delete",
      targetType: "provider",
      targetId: row.id,
      targetLabel: row.name,
      workspaceId,
      changes: {
        name: { from: row.name, to: null },
        versions: { from: row._count.versions, to: null },
        operations: { from: row._count.operations, to: null },
      },
      requestId: opts.requestId,
    });
  });
}
