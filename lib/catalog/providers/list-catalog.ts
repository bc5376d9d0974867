import type { Actor } from "../../auth/actor";
import { requireInstancePermission, requireWorkspacePermission } from "../../auth/actor";
import { conflict } from "../../errors";
import { withLease } from "../../jobs/lease";
import { requireCatalogRead } from "../../models/access";
import { db } from "../../db/client";
import { CATEGORY_LABELS, type CatalogProviderDto, type CatalogProviderQuery } from "../../schemas/catalog-providers";
import { catalogEntries, catalogEntry, type CatalogEntry } from "./catalog";
import { cachedSignature, unknownCatalogEntry } from "./load-entry";
import { refreshRemoteCatalog } from "./remote";
import type { Signature } from "../../providers/diff";

function toDto(e: CatalogEntry): CatalogProviderDto {
  return {
    id: e.id,
    title: e.title,
    category: e.category,
    description: e.description,
    icon: e.icon,
    docsUrl: e.docsUrl,
    auth: e.auth,
    oauth: e.oauth,
    version: e.version,
    versionLabel: e.versionLabel,
    contentHash: e.contentHash,
    operationCount: e.operationCount,
    source: e.source,
  };
}

const matches = (e: CatalogEntry, q: string) =>
  [e.id, e.title, e.description, CATEGORY_LABELS[e.category], e.auth.summary].some((s) => s.toLowerCase().includes(q));

/** The central repository, searched by text and filtered by category; read-only to every signed-in role. */
export async function listCatalogProviders(opts: { actor: Actor; query: CatalogProviderQuery }) {
  await requireCatalogRead(opts.actor);
  const { q, category, cursor, limit } = opts.query;
  const needle = q?.toLowerCase();
  const all = (await catalogEntries()).filter((e) => (!category || e.category === category) && (!needle || matches(e, needle)));
  const start = cursor ? all.findIndex((e) => e.id === cursor) + 1 : 0;
  const page = all.slice(start, start + limit);
  return { data: page.map(toDto), nextCursor: start + limit < all.length ? page[page.length - 1].id : null };
}

/** One entry, with its operations counted per method when the document's signature is at hand. */
export async function getCatalogProvider(opts: { actor: Actor; id: string }) {
  await requireCatalogRead(opts.actor);
  const entry = await catalogEntry(opts.id);
  if (!entry) throw unknownCatalogEntry(opts.id, "id");
  // Counted from the operation signatures when they are at hand: stored for remote entries, cached for shipped
  // ones once a workspace synced them (reading a shipped document only to count would cost seconds).
  let signature = cachedSignature(entry.contentHash);
  if (!signature && entry.source === "remote") {
    const row = await db.catalogProviderEntry.findUnique({ where: { id: entry.id }, select: { signature: true } });
    signature = (row?.signature as unknown as Signature | undefined) ?? null;
  }
  let methodCounts: Record<string, number> | null = null;
  if (signature) {
    methodCounts = {};
    for (const key of Object.keys(signature)) {
      const m = key.slice(0, key.indexOf(" "));
      methodCounts[m] = (methodCounts[m] ?? 0) + 1;
    }
  }
  return { ...toDto(entry), documentSource: entry.documentSource, methodCounts };
}

/** POST /catalog/providers/refresh: polls the remote catalog now (instance admins), unless a poll is running. */
export async function refreshCatalogNow(opts: { actor: Actor }) {
  requireInstancePermission(opts.actor, "catalog.manage");
  const r = await withLease("catalog.providers", 10 * 60_000, refreshRemoteCatalog);
  if (!r.ran) throw conflict("The remote catalog is being polled right now; try again in a moment");
  return r.value;
}

/** The workspace's providers synced from the central repository, by entry: what the catalog page marks "Already added". */
export async function addedFromCatalog(opts: {
  actor: Actor;
  workspaceId: string;
}): Promise<Record<string, { id: string; name: string }[]>> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "integrations.read");
  const rows = await db.provider.findMany({
    where: { workspaceId: opts.workspaceId, catalogId: { not: null } },
    select: { id: true, name: true, catalogId: true },
    orderBy: { name: "asc" },
  });
  const out: Record<string, { id: string; name: string }[]> = {};
  for (const r of rows) (out[r.catalogId!] ??= []).push({ id: r.id, name: r.name });
  return out;
}
