import fs from "node:fs";
import path from "node:path";
import { z } from "../../schemas/zod";
import { providerNameSchema } from "../../schemas/providers";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { AppError, isAppError, type FieldProblem } from "../../errors";
import { createProviderIn, importProviderVersionIn, prepareImport, type PreparedImport } from "../../providers/import-provider";
import { loadDocument, MAX_DOCUMENT_BYTES } from "../../providers/load-document";
import { extractProvider } from "../../providers/extract";
import type { ConfigChange, ConfigSection } from "../types";

// `providers: [{ name, workspace, spec }]`: a workspace's API provider from an OpenAPI document, by URL or by a
// path relative to the start-up file. Documents are fetched, read and validated before the transaction; an
// unchanged document (same content hash as the current version) is "unchanged".

const item = z.strictObject({
  name: providerNameSchema,
  workspace: workspaceNameSchema,
  spec: z.string().trim().min(1, "Required").max(2048, "Must be at most 2048 characters"),
});
type Item = z.infer<typeof item>;

const prepared = new WeakMap<Item, PreparedImport & { specRef: string }>();
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
      const at = `providers[${i}].spec`;
      try {
        if (isUrl(p.spec)) {
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
        select: { id: true, currentVersionId: true },
      });
      const specSource = { ...ready, sourceUrl: ready.specRef };
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
          });
        continue;
      }
      const current = existing.currentVersionId
        ? await tx.providerVersion.findFirst({
            where: { id: existing.currentVersionId, providerId: existing.id },
            select: { contentHash: true },
          })
        : null;
      if (current?.contentHash === ready.loaded.contentHash) {
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
      if (!dryRun)
        await importProviderVersionIn(tx, { actor, providerId: existing.id, workspaceId: ws.id, prepared: specSource, requestId });
    }
    return changes;
  },
  async export(tx) {
    // The document's place as the file or an import named it. A document uploaded or pasted in the console has
    // no place a file could name, so it is not exported.
    const rows = await tx.provider.findMany({
      where: { currentVersionId: { not: null } },
      select: { name: true, currentVersionId: true, workspace: { select: { name: true } } },
      orderBy: [{ workspace: { name: "asc" } }, { name: "asc" }],
    });
    const versions = await tx.providerVersion.findMany({
      where: { id: { in: rows.map((r) => r.currentVersionId!) } },
      select: { id: true, sourceUrl: true, restoredFromId: true },
    });
    const byId = new Map(versions.map((v) => [v.id, v]));
    return rows.flatMap((r) => {
      const spec = byId.get(r.currentVersionId!)?.sourceUrl;
      return spec ? [{ name: r.name, workspace: r.workspace.name, spec }] : [];
    });
  },
};
