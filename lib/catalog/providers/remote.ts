import { db } from "../../db/client";
import type { Prisma } from "../../db/types";
import { env } from "../../env";
import { AppError, isAppError } from "../../errors";
import { logger } from "../../log";
import { zodProblems } from "../../schemas/zod";
import { remoteCatalogIndexSchema, type CatalogRefreshDto, type RemoteCatalogEntry } from "../../schemas/catalog-providers";
import { fetchDocument, loadDocument } from "../../providers/load-document";
import { countOperations, extractProvider } from "../../providers/extract";
import { signatureOf } from "../../providers/diff";
import { catalogVersion } from "./catalog";
import { syncFollowers } from "./sync-provider";

// The remote catalog: an operator (or an API scraper) publishes a JSON index at SWITCHBOARD_CATALOG_URL; each
// poll fetches it through the outbound guard, fetches and validates the document of every entry whose version
// label changed, and stores the entries (they override shipped entries of the same id). Entries gone from the
// index are removed. Then providers that follow updates are synced.

/** The URL polled; tests and operators change it through the environment. */
export const catalogUrl = (): string | null => env.SWITCHBOARD_CATALOG_URL ?? null;

async function fetchIndex(url: string) {
  const text = await fetchDocument(url);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", `The remote catalog at ${url} is not JSON`);
  }
  const parsed = remoteCatalogIndexSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError("validation_failed", `The remote catalog at ${url} is invalid`, { fields: zodProblems(parsed.error) });
  const ids = new Set<string>();
  for (const e of parsed.data.providers) {
    if (ids.has(e.id)) throw new AppError("validation_failed", `The remote catalog at ${url} lists ${e.id} twice`);
    ids.add(e.id);
  }
  return parsed.data.providers;
}

async function readEntryDocument(e: RemoteCatalogEntry, indexUrl: string) {
  const documentUrl = e.documentUrl ? new URL(e.documentUrl, indexUrl).toString() : null;
  const text = documentUrl ? await fetchDocument(documentUrl) : typeof e.document === "string" ? e.document : JSON.stringify(e.document);
  const loaded = await loadDocument(text, { baseUrl: documentUrl ?? indexUrl });
  const extracted = extractProvider(loaded.document);
  if (extracted.operations.length !== countOperations(loaded.document))
    throw new AppError("internal", "The document could not be read completely");
  return { documentUrl, loaded, extracted };
}

const metadata = (e: RemoteCatalogEntry) => ({
  title: e.title,
  category: e.category,
  description: e.description,
  icon: (e.icon ?? null) as Prisma.InputJsonValue,
  docsUrl: e.docsUrl ?? null,
  auth: (e.auth ?? null) as Prisma.InputJsonValue,
  oauth: (e.oauth ?? undefined) as Prisma.InputJsonValue | undefined,
});

/**
 * Polls the remote catalog now. Without SWITCHBOARD_CATALOG_URL only the followers are synced (a new app version
 * may ship newer documents). An index that cannot be fetched or read throws and changes nothing; an entry whose
 * document fails is reported in `failed` and keeps what was stored before.
 */
export async function refreshRemoteCatalog(): Promise<CatalogRefreshDto> {
  const url = catalogUrl();
  const out: CatalogRefreshDto = { url, added: [], updated: [], unchanged: [], removed: [], failed: [], synced: [] };
  if (url) {
    const entries = await fetchIndex(url);
    const stored = new Map(
      (await db.catalogProviderEntry.findMany({ select: { id: true, versionLabel: true } })).map((r) => [r.id, r.versionLabel]),
    );
    for (const e of entries) {
      const before = stored.get(e.id);
      try {
        if (before === e.version) {
          // registry-neutral: catalog entries are not part of the gateway snapshot.
          await db.catalogProviderEntry.update({ where: { id: e.id }, data: metadata(e) });
          out.unchanged.push(e.id);
          continue;
        }
        const { documentUrl, loaded, extracted } = await readEntryDocument(e, url);
        const data = {
          ...metadata(e),
          versionLabel: e.version,
          version: catalogVersion(e.version, loaded.contentHash),
          contentHash: loaded.contentHash,
          operationCount: extracted.operations.length,
          documentUrl,
          document: loaded.json,
          signature: signatureOf(extracted.operations) as unknown as Prisma.InputJsonValue,
          fetchedAt: new Date(),
        };
        // registry-neutral: catalog entries are not part of the gateway snapshot.
        await db.catalogProviderEntry.upsert({ where: { id: e.id }, create: { id: e.id, ...data }, update: data });
        (before === undefined ? out.added : out.updated).push(e.id);
      } catch (err) {
        if (!isAppError(err)) throw err;
        const detail = err.fields?.[0] ? ` (${err.fields[0].path}: ${err.fields[0].message})` : "";
        out.failed.push({ id: e.id, message: `${err.message}${detail}`.slice(0, 500) });
      }
    }
    const keep = new Set(entries.map((e) => e.id));
    out.removed = [...stored.keys()].filter((id) => !keep.has(id));
    // registry-neutral: catalog entries are not part of the gateway snapshot.
    if (out.removed.length) await db.catalogProviderEntry.deleteMany({ where: { id: { in: out.removed } } });
    if (out.added.length || out.updated.length || out.removed.length || out.failed.length)
      logger.info("catalog: remote catalog polled", {
        url,
        added: out.added.length,
        updated: out.updated.length,
        removed: out.removed.length,
        failed: out.failed.length,
      });
  }
  out.synced = await syncFollowers();
  return out;
}
