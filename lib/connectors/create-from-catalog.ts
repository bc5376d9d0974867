import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { prepareCatalogEntry } from "../catalog/providers/load-entry";
import { createProviderIn } from "../providers/import-provider";
import type { ConnectorDto, CreateConnectorInput } from "../schemas/connectors";
import { createConnectorIn, type ConnectorFields } from "./create-connector";

// A connector straight from a central repository entry: the workspace's provider synced from that entry when there
// is one, otherwise the entry is synced first. The sync and the connector are written in one transaction, so a
// connector that fails its checks leaves no provider behind and the same request can simply be sent again.

const TX_OPTIONS = { timeout: 120_000, maxWait: 10_000 };

/** The entry's title as a provider name (the name's allowed characters only), made unique in the workspace. */
export async function freeProviderName(tx: Tx, workspaceId: string, title: string, fallback: string): Promise<string> {
  const cleaned = title
    .replace(/[^\p{L}\p{N} ._:/()&+-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .slice(0, 70)
    .trim();
  const stem = cleaned.length >= 2 ? cleaned : fallback.slice(0, 70);
  const taken = await tx.provider.findMany({
    where: { workspaceId, name: { startsWith: stem, mode: "insensitive" } },
    select: { name: true },
  });
  const names = new Set(taken.map((t) => t.name.toLowerCase()));
  if (!names.has(stem.toLowerCase())) return stem;
  for (let i = 2; ; i++) if (!names.has(`${stem} (${i})`.toLowerCase())) return `${stem} (${i})`;
}

export async function createConnectorFromCatalog(opts: {
  actor: Actor;
  workspaceId: string;
  input: CreateConnectorInput & { catalogId: string };
  requestId?: string;
}): Promise<ConnectorDto> {
  const { actor, workspaceId, requestId } = opts;
  const { catalogId, providerId: _none, ...fields } = opts.input;
  const synced = await db.provider.findFirst({ where: { workspaceId, catalogId }, orderBy: { createdAt: "asc" }, select: { id: true } });
  const input = (providerId: string): ConnectorFields => ({ ...fields, providerId });
  if (synced) {
    const c = await db.$transaction((tx) => createConnectorIn(tx, { actor, workspaceId, input: input(synced.id), requestId }));
    return { ...c, providerAdded: false };
  }
  const ready = await prepareCatalogEntry(catalogId);
  return db.$transaction(async (tx) => {
    const name = await freeProviderName(tx, workspaceId, ready.entry.title, ready.entry.id);
    const provider = await createProviderIn(tx, {
      actor,
      workspaceId,
      input: { name },
      prepared: ready.prepared,
      catalog: { id: ready.entry.id, version: ready.version, contentHash: ready.contentHash },
      requestId,
    });
    const c = await createConnectorIn(tx, { actor, workspaceId, input: input(provider.id), requestId });
    return { ...c, providerAdded: true };
  }, TX_OPTIONS);
}
