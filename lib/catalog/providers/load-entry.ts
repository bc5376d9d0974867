import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../../db/migrate";
import { AppError } from "../../errors";
import type { Tx } from "../../db/types";
import { db } from "../../db/client";
import { loadDocument } from "../../providers/load-document";
import { countOperations, extractProvider, type AuthScheme } from "../../providers/extract";
import { signatureOf, type Signature } from "../../providers/diff";
import type { PreparedImport } from "../../providers/import-provider";
import { catalogEntry, catalogVersion, type CatalogEntry } from "./catalog";
import type { ShippedCatalogEntry } from "./types";

// Reading a catalog entry's document takes the import's own path: a shipped document is read from its npm
// package and goes through loadDocument (JSON parsed here, validated in the validator thread), a remote one was
// validated when the poll stored it and is only parsed again. Nothing is cached but operation signatures (small),
// so an update check does not read a 10 MB document twice.

export interface CatalogPrepared {
  entry: CatalogEntry;
  prepared: PreparedImport;
  /** The version actually read (the shipped constants are checked by a test, but the file is what counts). */
  version: string;
  contentHash: string;
}

export const unknownCatalogEntry = (id: string, path = "catalogId") =>
  new AppError("not_found", `The central repository has no entry "${id}"`, {
    fields: [{ path, message: `No catalog entry with id ${id}` }],
  });

export function shippedDocumentPath(e: ShippedCatalogEntry): string {
  return path.join(projectRoot(), "node_modules", e.document.package, e.document.file);
}

const specVersionOf = (doc: Record<string, unknown>) => (doc.swagger ? "2.0" : String(doc.openapi ?? ""));

/** Oauth endpoints the curated entry knows, added as a scheme when the document declares none. */
function withCatalogOAuth(schemes: AuthScheme[], entry: CatalogEntry): AuthScheme[] {
  if (!entry.oauth || schemes.some((s) => s.type === "oauth2")) return schemes;
  const scopes = Object.fromEntries(entry.oauth.scopes.map((s) => [s, ""]));
  return [
    ...schemes,
    {
      key: "catalog_oauth2",
      type: "oauth2",
      description: `OAuth 2.0 endpoints from the central repository entry ${entry.id}`,
      flows: { authorizationCode: { authorizationUrl: entry.oauth.authorizeUrl, tokenUrl: entry.oauth.tokenUrl, scopes } },
    },
  ];
}

/** Reads an entry's document completely, ready to be written as a provider version. */
export async function prepareCatalogEntry(id: string, opts: { tx?: Tx; path?: string } = {}): Promise<CatalogPrepared> {
  const entry = await catalogEntry(id, opts.tx ?? db);
  if (!entry) throw unknownCatalogEntry(id, opts.path);
  let prepared: PreparedImport;
  if (entry.shipped) {
    const text = await fs.promises.readFile(shippedDocumentPath(entry.shipped), "utf8").catch(() => {
      throw new AppError("unavailable", `The document of ${entry.id} is missing from its package (${entry.documentSource})`);
    });
    const loaded = await loadDocument(text);
    prepared = { loaded, extracted: extractProvider(loaded.document), sourceKind: "catalog", sourceUrl: null };
  } else {
    const row = await (opts.tx ?? db).catalogProviderEntry.findUnique({ where: { id }, select: { document: true, documentUrl: true } });
    if (!row) throw unknownCatalogEntry(id, opts.path);
    const document = JSON.parse(row.document) as Record<string, unknown>;
    prepared = {
      loaded: { document, json: row.document, contentHash: entry.contentHash, specVersion: specVersionOf(document) },
      extracted: extractProvider(document),
      sourceKind: "catalog",
      sourceUrl: row.documentUrl,
    };
  }
  if (prepared.extracted.operations.length !== countOperations(prepared.loaded.document))
    throw new AppError("internal", `The document of ${entry.id} could not be read completely`);
  prepared.extracted.authSchemes = withCatalogOAuth(prepared.extracted.authSchemes, entry);
  const contentHash = prepared.loaded.contentHash;
  signatures.set(contentHash, signatureOf(prepared.extracted.operations));
  trim();
  return { entry, prepared, contentHash, version: catalogVersion(entry.versionLabel, contentHash) };
}

const signatures = new Map<string, Signature>();
const trim = () => {
  while (signatures.size > 64) signatures.delete(signatures.keys().next().value!);
};

/** The operation signatures of an entry's latest document (what the diff compares). */
export async function catalogSignature(entry: CatalogEntry, tx: Tx = db): Promise<Signature> {
  const cached = signatures.get(entry.contentHash);
  if (cached) return cached;
  if (!entry.shipped) {
    const row = await tx.catalogProviderEntry.findUnique({ where: { id: entry.id }, select: { signature: true, contentHash: true } });
    if (row) {
      signatures.set(row.contentHash, row.signature as unknown as Signature);
      trim();
      return row.signature as unknown as Signature;
    }
  }
  const ready = await prepareCatalogEntry(entry.id, { tx });
  return signatures.get(ready.contentHash)!;
}

/** The signature of a document read before (by a sync or an update check), without reading it. */
export const cachedSignature = (contentHash: string): Signature | null => signatures.get(contentHash) ?? null;
