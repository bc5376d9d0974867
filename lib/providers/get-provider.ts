import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { ProviderDto } from "../schemas/providers";
import { requireProviderAccess } from "./access";
import { providerSelect, toProviderDto } from "./provider-dto";
import { catalogEntry } from "../catalog/providers/catalog";

/** A provider of the workspace with its current version's number and its operation counts. */
export async function getProviderIn(tx: Tx, providerId: string, workspaceId: string): Promise<ProviderDto> {
  const row = await tx.provider.findFirst({ where: { id: providerId, workspaceId }, select: providerSelect });
  if (!row) throw notFound("Provider");
  const [version, total, enabled, latest] = await Promise.all([
    row.currentVersionId
      ? tx.providerVersion.findFirst({ where: { id: row.currentVersionId, providerId }, select: { number: true, specVersion: true } })
      : null,
    tx.providerOperation.count({ where: { providerId } }),
    tx.providerOperation.count({ where: { providerId, enabled: true } }),
    row.catalogId ? catalogEntry(row.catalogId, tx) : null,
  ]);
  return toProviderDto(
    row,
    {
      currentVersionNumber: version?.number ?? null,
      specVersion: version?.specVersion ?? null,
      operationCount: total,
      enabledOperationCount: enabled,
    },
    latest,
  );
}

export async function getProvider(opts: { actor: Actor; providerId: string }): Promise<ProviderDto> {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.read");
  return getProviderIn(db, opts.providerId, workspaceId);
}
