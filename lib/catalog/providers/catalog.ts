import { db } from "../../db/client";
import type { Tx } from "../../db/types";
import type { CatalogAuth, CatalogCategory, CatalogIcon, CatalogOAuth } from "../../schemas/catalog-providers";
import { SHIPPED_ENTRIES, SHIPPED_PACKAGES } from "./entries";
import type { ShippedCatalogEntry } from "./types";

// The central repository as one list: the shipped entries, each overridden by the remote catalog's entry of the
// same id when that entry's document differs. Reading it costs one small query (no document is loaded): operation
// counts and hashes of shipped entries are curated constants, those of remote entries were stored by the poll.

export interface CatalogEntry {
  id: string;
  title: string;
  category: CatalogCategory;
  description: string;
  icon: CatalogIcon;
  docsUrl: string | null;
  auth: CatalogAuth;
  oauth: CatalogOAuth | null;
  versionLabel: string;
  version: string;
  contentHash: string;
  operationCount: number;
  source: "shipped" | "remote";
  documentSource: string;
  shipped: ShippedCatalogEntry | null;
}

/** How a catalog version reads: the publisher's label and the start of the content hash. */
export const catalogVersion = (label: string, contentHash: string) => `${label}+${contentHash.slice(0, 12)}`;

const FALLBACK_ICON: CatalogIcon = { color: "#475569", initials: "API" };

export function fromShipped(e: ShippedCatalogEntry): CatalogEntry {
  const label = `${e.document.package}@${SHIPPED_PACKAGES[e.document.package]}`;
  return {
    id: e.id,
    title: e.title,
    category: e.category,
    description: e.description,
    icon: e.icon,
    docsUrl: e.docsUrl,
    auth: e.auth,
    oauth: e.oauth,
    versionLabel: label,
    version: catalogVersion(label, e.contentHash),
    contentHash: e.contentHash,
    operationCount: e.operationCount,
    source: "shipped",
    documentSource: `${e.document.package}/${e.document.file}`,
    shipped: e,
  };
}

const remoteSelect = {
  id: true,
  title: true,
  category: true,
  description: true,
  icon: true,
  docsUrl: true,
  auth: true,
  oauth: true,
  versionLabel: true,
  version: true,
  contentHash: true,
  operationCount: true,
  documentUrl: true,
} as const;

type RemoteRow = { [K in keyof typeof remoteSelect]: unknown } & { id: string; contentHash: string };

function fromRemote(r: RemoteRow, shipped: ShippedCatalogEntry | undefined): CatalogEntry {
  const auth = (r.auth as CatalogAuth | null) ?? shipped?.auth ?? { type: "none", summary: "Not described" };
  return {
    id: r.id,
    title: r.title as string,
    category: r.category as CatalogCategory,
    description: r.description as string,
    icon: (r.icon as CatalogIcon | null) ?? shipped?.icon ?? FALLBACK_ICON,
    docsUrl: (r.docsUrl as string | null) ?? shipped?.docsUrl ?? null,
    auth,
    oauth: (r.oauth as CatalogOAuth | null) ?? shipped?.oauth ?? null,
    versionLabel: r.versionLabel as string,
    version: r.version as string,
    contentHash: r.contentHash,
    operationCount: r.operationCount as number,
    source: "remote",
    documentSource: (r.documentUrl as string | null) ?? "inline in the remote catalog",
    shipped: null,
  };
}

const SHIPPED_BY_ID = new Map(SHIPPED_ENTRIES.map((e) => [e.id, e]));

function merge(rows: RemoteRow[], ids?: string[]): CatalogEntry[] {
  const out = new Map<string, CatalogEntry>();
  for (const e of SHIPPED_ENTRIES) if (!ids || ids.includes(e.id)) out.set(e.id, fromShipped(e));
  for (const r of rows) {
    const shipped = SHIPPED_BY_ID.get(r.id);
    // A remote entry carrying the very document that ships changes nothing.
    if (shipped && shipped.contentHash === r.contentHash) continue;
    out.set(r.id, fromRemote(r, shipped));
  }
  return [...out.values()];
}

/** Every entry of the central repository, by title. */
export async function catalogEntries(tx: Tx = db): Promise<CatalogEntry[]> {
  const rows = await tx.catalogProviderEntry.findMany({ select: remoteSelect });
  return merge(rows as RemoteRow[]).sort((a, b) => a.title.localeCompare(b.title, "en") || a.id.localeCompare(b.id));
}

/** The entries with these ids (the latest of each), for providers synced from them. */
export async function catalogEntriesById(ids: string[], tx: Tx = db): Promise<Map<string, CatalogEntry>> {
  if (!ids.length) return new Map();
  const rows = await tx.catalogProviderEntry.findMany({ where: { id: { in: ids } }, select: remoteSelect });
  return new Map(merge(rows as RemoteRow[], ids).map((e) => [e.id, e]));
}

export async function catalogEntry(id: string, tx: Tx = db): Promise<CatalogEntry | null> {
  return (await catalogEntriesById([id], tx)).get(id) ?? null;
}
