import fs from "node:fs";
import path from "node:path";
import { z } from "../../schemas/zod";
import { providerNameSchema } from "../../schemas/providers";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { AppError, isAppError, type FieldProblem } from "../../errors";
import {
  createProviderIn,
  importProviderVersionIn,
  prepareImport,
  type CatalogSource,
  type PreparedImport,
} from "../../providers/import-provider";
import { catalogIdSchema } from "../../schemas/catalog-providers";
import { prepareCatalogEntry, type CatalogPrepared } from "../../catalog/providers/load-entry";
import { syncProviderIn } from "../../catalog/providers/sync-provider";
import { loadDocument, MAX_DOCUMENT_BYTES } from "../../providers/load-document";
import { extractProvider } from "../../providers/extract";
import type { ConfigChange, ConfigSection } from "../types";

// `providers: [{ name, workspace, spec }]`: a workspace's API provider from an OpenAPI document, by URL or by a
// path relative to the start-up file; or `{ name, workspace, catalog: id }`: synced from the central repository.
// Documents are fetched, read and validated before the transaction; an unchanged document (same content hash as
// the current version) is "unchanged".

const specItem = z.strictObject({
  name: providerNameSchema,
  workspace: workspaceNameSchema,
  spec: z.string().trim().min(1, "Required").max(2048, "Must be at most 2048 characters"),
});
const catalogItem = z.strictObject({ name: providerNameSchema, workspace: workspaceNameSchema, catalog: catalogIdSchema });
const item = z.union([specItem, catalogItem]);
type Item = z.infer<typeof item>;

/** Where an uploaded document is named in an export: a file the operator saves next to the configuration. */
export const uploadedSpecPath = (workspace: string, name: string) =>
  `./specs/${[workspace, name]
    .map(
      (s) =>
        s
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "") || "provider",
    )
    .join("/")}.json`;

const prepared = new WeakMap<Item, PreparedImport & { specRef: string; catalog?: CatalogSource; catalogReady?: CatalogPrepared }>();
const isUrl = (s: string) => /^https?:\/\//i.test(s);

async function readLocalSpec(spec: string, baseDir: string): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) throw new AppError("bad_request", "Only http(s) URLs and paths are allowed");
  const full = path.resolve(baseDir, spec);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    throw new AppError("bad_request", `${spec} does not exist (paths are relative to the configuration file)`);
  }
  if (!stat.isFile()) throw new AppError("bad_request", `${spec} is not a file`);
  if (stat.size > MAX_DOCUMENT_BYTES)
    throw new AppError("payload_too_large", `${spec} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`);
  return fs.promises.readFile(full, "utf8");
}

export const providersSection: ConfigSection<Item> = {
  key: "providers",
  item,
  identity: (p) => `${p.workspace.toLowerCase()}/${p.name.toLowerCase()}`,
  async prepare(items, { baseDir }) {
    const problems: FieldProblem[] = [];
    for (const [i, p] of items.entries()) {
      const at = "catalog" in p ? `providers[${i}].catalog` : `providers[${i}].spec`;
      try {
        if ("catalog" in p) {
          const ready = await prepareCatalogEntry(p.catalog, { path: at });
          prepared.set(p, {
            ...ready.prepared,
            specRef: `catalog:${p.catalog}`,
            catalog: { id: ready.entry.id, version: ready.version, contentHash: ready.contentHash },
            catalogReady: ready,
          });
        } else if (isUrl(p.spec)) {
          prepared.set(p, { ...(await prepareImport({ url: p.spec })), specRef: p.spec });
        } else {
          if (!baseDir)
            throw new AppError("bad_request", "A configuration sent through the API may not read the server's files; give an http(s) URL");
          const text = await readLocalSpec(p.spec, baseDir);
          const loaded = await loadDocument(text);
          prepared.set(p, {
            loaded,
            extracted: extractProvider(loaded.document),
            sourceKind: "document",
            sourceUrl: null,
            specRef: p.spec,
          });
        }
      } catch (e) {
        if (!isAppError(e)) throw e;
        if ("catalog" in p && e.code === "not_found") {
          problems.push({ path: at, message: `${p.name}: the central repository has no entry "${p.catalog}"` });
          continue;
        }
        problems.push({ path: at, message: e.message });
        for (const f of (e.fields ?? []).slice(0, 5)) problems.push({ path: `${at} ${f.path}`, message: f.message });
      }
    }
    return problems;
  },
  async apply(items, { tx, actor, requestId, dryRun }) {
    const changes: ConfigChange[] = [];
    for (const [i, p] of items.entries()) {
      const ready = prepared.get(p);
      if (!ready) throw new AppError("internal", "The provider's document was not prepared");
      const ws = await tx.workspace.findFirst({ where: { name: { equals: p.workspace, mode: "insensitive" } }, select: { id: true } });
      if (!ws)
        throw new AppError("validation_failed", "Unknown workspace", {
          fields: [{ path: `providers[${i}].workspace`, message: `No workspace named ${p.workspace}` }],
        });
      const existing = await tx.provider.findFirst({
        where: { workspaceId: ws.id, name: { equals: p.name, mode: "insensitive" } },
        select: { id: true, currentVersionId: true, catalogId: true },
      });
      const { catalog } = ready;
      const specSource = catalog ? ready : { ...ready, sourceUrl: ready.specRef };
      if (!existing) {
        changes.push({ section: "providers", name: p.name, action: "create", note: `${ready.extracted.operations.length} operations` });
        if (!dryRun)
          await createProviderIn(tx, {
            actor,
            workspaceId: ws.id,
            input: { name: p.name },
            prepared: specSource,
            requestId,
            source: "config",
            catalog,
          });
        continue;
      }
      const current = existing.currentVersionId
        ? await tx.providerVersion.findFirst({
            where: { id: existing.currentVersionId, providerId: existing.id },
            select: { contentHash: true },
          })
        : null;
      if (current?.contentHash === ready.loaded.contentHash && (!catalog || existing.catalogId === catalog.id)) {
        changes.push({ section: "providers", name: p.name, action: "unchanged" });
        continue;
      }
      changes.push({
        section: "providers",
        name: p.name,
        action: "update",
        fields: ["version"],
        note: `${ready.extracted.operations.length} operations`,
      });
      if (dryRun) continue;
      if (ready.catalogReady) {
        await syncProviderIn(tx, { actor, providerId: existing.id, workspaceId: ws.id, ready: ready.catalogReady, requestId });
      } else {
        await importProviderVersionIn(tx, { actor, providerId: existing.id, workspaceId: ws.id, prepared: specSource, requestId });
      }
    }
    return changes;
  },
  async export(tx) {
    // A provider synced from the central repository is written as its entry; otherwise the document's place as
    // the file or an import named it. A document uploaded or pasted in the console has no such place: it is named
    // as ./specs/<workspace>/<name>.json, the file to save next to the exported configuration (the export's header
    // says so), so applying the file without it fails naming the path instead of dropping the provider.
    const rows = await tx.provider.findMany({
      where: { currentVersionId: { not: null } },
      select: { name: true, currentVersionId: true, catalogId: true, workspace: { select: { name: true } } },
      orderBy: [{ workspace: { name: "asc" } }, { name: "asc" }],
    });
    const versions = await tx.providerVersion.findMany({
      where: { id: { in: rows.map((r) => r.currentVersionId!) } },
      select: { id: true, sourceUrl: true, sourceKind: true },
    });
    const byId = new Map(versions.map((v) => [v.id, v]));
    return rows.map((r) => {
      if (r.catalogId) return { name: r.name, workspace: r.workspace.name, catalog: r.catalogId };
      const v = byId.get(r.currentVersionId!);
      const spec = v?.sourceUrl && v.sourceKind !== "catalog" ? v.sourceUrl : uploadedSpecPath(r.workspace.name, r.name);
      return { name: r.name, workspace: r.workspace.name, spec };
    });
  },
};
