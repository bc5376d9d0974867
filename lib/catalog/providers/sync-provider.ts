import { db } from "../../db/client";
import type { Tx } from "../../db/types";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../../audit/record";
import { AppError, notFound } from "../../errors";
import { logger } from "../../log";
import type { ProviderDto } from "../../schemas/providers";
import { requireProviderAccess } from "../../providers/access";
import { diffSignatures, type Signature, type VersionDiff } from "../../providers/diff";
import { getProviderIn } from "../../providers/get-provider";
import { documentFields, writeVersion } from "../../providers/import-provider";
import { catalogEntriesById, catalogEntry } from "./catalog";
import { catalogSignature, prepareCatalogEntry, type CatalogPrepared } from "./load-entry";

// A provider synced from the central repository follows its entry: it sees when the entry has a newer version,
// what would change, and takes it (on demand, or by itself when it follows updates). A sync is a new immutable
// version (source "catalog"), audited like an import.

const TX_OPTIONS = { timeout: 120_000, maxWait: 10_000 };

const notSynced = () =>
  new AppError("validation_failed", "This provider was not synced from the central repository", {
    fields: [{ path: "catalogId", message: "Not synced from the central repository" }],
  });

/** Makes the entry's document the provider's current version, unless it already is. */
export async function syncProviderIn(
  tx: Tx,
  opts: { actor: Actor; providerId: string; workspaceId: string; ready: CatalogPrepared; requestId?: string },
): Promise<ProviderDto & { versionCreated: boolean }> {
  const { actor, providerId, workspaceId, ready } = opts;
  const provider = await tx.provider.findFirst({
    where: { id: providerId, workspaceId },
    select: { id: true, name: true, currentVersionId: true, catalogVersion: true, globalId: true },
  });
  if (!provider) throw notFound("Provider");
  const current = provider.currentVersionId
    ? await tx.providerVersion.findFirst({
        where: { id: provider.currentVersionId, providerId },
        select: { contentHash: true, number: true },
      })
    : null;
  const catalogFields = { catalogId: ready.entry.id, catalogVersion: ready.version, catalogHash: ready.contentHash };
  if (current?.contentHash === ready.contentHash) {
    // registry-neutral: providers are not part of the gateway snapshot.
    await tx.provider.update({ where: { id: providerId, workspaceId }, data: catalogFields });
    return { ...(await getProviderIn(tx, providerId, workspaceId)), versionCreated: false };
  }
  const version = await writeVersion(tx, { actor, providerId, prepared: ready.prepared });
  await tx.provider.update({
    where: { id: providerId, workspaceId },
    data: {
      currentVersionId: version.id,
      ...documentFields(ready.prepared.extracted),
      ...catalogFields,
      ...(provider.globalId ? {} : { globalId: ready.entry.id }),
    },
  });
  await recordAudit(tx, {
    actor,
    action: "provider.sync",
    targetType: "provider",
    targetId: providerId,
    targetLabel: provider.name,
    workspaceId,
    changes: {
      catalog: { from: null, to: ready.entry.id },
      catalogVersion: { from: provider.catalogVersion, to: ready.version },
      version: { from: current?.number ?? null, to: version.number },
      operations: { from: null, to: ready.prepared.extracted.operations.length },
      source: { from: null, to: "catalog" },
      contentHash: { from: null, to: ready.contentHash },
    },
    requestId: opts.requestId,
  });
  return { ...(await getProviderIn(tx, providerId, workspaceId)), versionCreated: true };
}

/** POST /providers/{id}/sync: a new version from the latest of the provider's catalog entry. */
export async function syncProvider(opts: { actor: Actor; providerId: string; requestId?: string }) {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.manage");
  const row = await db.provider.findFirst({ where: { id: opts.providerId, workspaceId }, select: { catalogId: true } });
  if (!row) throw notFound("Provider");
  if (!row.catalogId) throw notSynced();
  const ready = await prepareCatalogEntry(row.catalogId);
  return db.$transaction((tx) => syncProviderIn(tx, { ...opts, workspaceId, ready }), TX_OPTIONS);
}

/** What syncing would change: the operation-level diff from the current version to the entry's latest. */
export async function catalogUpdate(opts: { actor: Actor; providerId: string }): Promise<
  VersionDiff & {
    catalogId: string;
    syncedVersion: string | null;
    latestVersion: string;
    updateAvailable: boolean;
    breaking: boolean;
  }
> {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.read");
  const row = await db.provider.findFirst({
    where: { id: opts.providerId, workspaceId },
    select: { catalogId: true, catalogVersion: true, catalogHash: true, currentVersionId: true },
  });
  if (!row) throw notFound("Provider");
  if (!row.catalogId) throw notSynced();
  const entry = await catalogEntry(row.catalogId);
  if (!entry)
    throw new AppError("not_found", `The central repository no longer has the entry "${row.catalogId}"`, {
      fields: [{ path: "catalogId", message: `No catalog entry with id ${row.catalogId}` }],
    });
  const current = row.currentVersionId
    ? await db.providerVersion.findFirst({ where: { id: row.currentVersionId, providerId: opts.providerId }, select: { signature: true } })
    : null;
  const diff = diffSignatures((current?.signature ?? {}) as unknown as Signature, await catalogSignature(entry));
  return {
    catalogId: entry.id,
    syncedVersion: row.catalogVersion,
    latestVersion: entry.version,
    updateAvailable: entry.contentHash !== row.catalogHash,
    ...diff,
    breaking: [...diff.removed, ...diff.changed].some((d) => d.breaking),
  };
}

/** Syncs every provider that follows updates and whose entry has a newer version (the poll job calls this). */
export async function syncFollowers(): Promise<{ providerId: string; catalogId: string; version: string }[]> {
  const followers = await db.provider.findMany({
    where: { followUpdates: true, catalogId: { not: null } },
    select: { id: true, workspaceId: true, catalogId: true, catalogHash: true },
    orderBy: { id: "asc" },
  });
  const latest = await catalogEntriesById([...new Set(followers.map((f) => f.catalogId!))]);
  const ready = new Map<string, Promise<CatalogPrepared>>();
  const synced: { providerId: string; catalogId: string; version: string }[] = [];
  for (const f of followers) {
    const entry = latest.get(f.catalogId!);
    if (!entry || entry.contentHash === f.catalogHash) continue;
    try {
      if (!ready.has(entry.id)) ready.set(entry.id, prepareCatalogEntry(entry.id));
      const r = await ready.get(entry.id)!;
      const out = await db.$transaction(
        (tx) => syncProviderIn(tx, { actor: { type: "system" }, providerId: f.id, workspaceId: f.workspaceId, ready: r }),
        TX_OPTIONS,
      );
      synced.push({ providerId: f.id, catalogId: entry.id, version: out.catalog?.syncedVersion ?? r.version });
    } catch (e) {
      logger.warn("catalog: automatic sync failed", { providerId: f.id, catalogId: entry.id, error: e });
    }
  }
  return synced;
}
