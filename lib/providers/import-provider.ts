import { db } from "../db/client";
import type { Prisma, Tx } from "../db/types";
import { actorId, actorLabel, requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, notFound } from "../errors";
import type { CreateProviderInput, ImportProviderInput, ProviderDto } from "../schemas/providers";
import { requireProviderAccess } from "./access";
import { countOperations, extractProvider, type ExtractedProvider } from "./extract";
import { signatureOf } from "./diff";
import { fetchDocument, loadDocument, type LoadedDocument } from "./load-document";
import { getProviderIn } from "./get-provider";
import { prepareCatalogEntry } from "../catalog/providers/load-entry";

// Importing a provider: the document is loaded, validated and read completely before the transaction starts, so
// a document that fails stores nothing; the transaction then writes the provider, an immutable version and the
// operations of that version together.

const TX_OPTIONS = { timeout: 120_000, maxWait: 10_000 };

export interface PreparedImport {
  loaded: LoadedDocument;
  extracted: ExtractedProvider;
  sourceKind: "document" | "url" | "catalog";
  sourceUrl: string | null;
}

/** The central repository entry a provider is synced from, and the version read from it. */
export interface CatalogSource {
  id: string;
  version: string;
  contentHash: string;
}

/** Loads and reads a document from its text or URL (fetched through the outbound guard). */
export async function prepareImport(input: { document: string } | { url: string }): Promise<PreparedImport> {
  const sourceUrl = "url" in input ? input.url : null;
  const text = "url" in input ? await fetchDocument(input.url) : input.document;
  const loaded = await loadDocument(text, { baseUrl: sourceUrl });
  const extracted = extractProvider(loaded.document);
  const declared = countOperations(loaded.document);
  if (extracted.operations.length !== declared) {
    throw new AppError("internal", `Read ${extracted.operations.length} operations of the ${declared} the document declares`);
  }
  return { loaded, extracted, sourceKind: "url" in input ? "url" : "document", sourceUrl };
}

function operationRows(providerId: string, extracted: ExtractedProvider, disabled: Set<string>): Prisma.ProviderOperationCreateManyInput[] {
  return extracted.operations.map((op, position) => ({
    providerId,
    position,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    summary: op.summary,
    description: op.description,
    tags: op.tags,
    deprecated: op.deprecated,
    parameters: op.parameters as unknown as Prisma.InputJsonValue,
    requestBody: (op.requestBody ?? undefined) as Prisma.InputJsonValue | undefined,
    responses: op.responses as Prisma.InputJsonValue,
    security: (op.security ?? undefined) as Prisma.InputJsonValue | undefined,
    enabled: !disabled.has(op.key),
    toolName: op.tool.name,
    toolDescription: op.tool.description,
    inputSchema: op.tool.inputSchema as Prisma.InputJsonValue,
  }));
}

/**
 * Writes a new version and makes its operations the provider's. Operations switched off stay off when the
 * new version still has them (matched by method and path).
 */
export async function writeVersion(
  tx: Tx,
  opts: {
    actor: Actor;
    providerId: string;
    prepared: Omit<PreparedImport, "sourceKind"> & { sourceKind: PreparedImport["sourceKind"] | "restore" };
    restoredFromId?: string;
  },
) {
  const { providerId, prepared } = opts;
  const last = await tx.providerVersion.findFirst({ where: { providerId }, orderBy: { number: "desc" }, select: { number: true } });
  const previous = await tx.providerOperation.findMany({ where: { providerId, enabled: false }, select: { method: true, path: true } });
  const disabled = new Set(previous.map((o) => `${o.method} ${o.path}`));
  const version = await tx.providerVersion.create({
    data: {
      providerId,
      number: (last?.number ?? 0) + 1,
      contentHash: prepared.loaded.contentHash,
      sourceKind: prepared.sourceKind,
      sourceUrl: prepared.sourceUrl,
      restoredFromId: opts.restoredFromId ?? null,
      versionLabel: prepared.extracted.versionLabel.slice(0, 200),
      specVersion: prepared.loaded.specVersion,
      document: prepared.loaded.json,
      signature: signatureOf(prepared.extracted.operations) as unknown as Prisma.InputJsonValue,
      operationCount: prepared.extracted.operations.length,
      createdById: actorId(opts.actor),
      createdByLabel: actorLabel(opts.actor),
    },
    select: { id: true, number: true },
  });
  await tx.providerOperation.deleteMany({ where: { providerId } });
  const rows = operationRows(providerId, prepared.extracted, disabled);
  for (let i = 0; i < rows.length; i += 500) await tx.providerOperation.createMany({ data: rows.slice(i, i + 500) });
  return version;
}

/** Fields a document sets on its provider; auth schemes and servers edited by hand are kept when it has none. */
export function documentFields(x: ExtractedProvider) {
  return {
    title: x.title.slice(0, 200),
    description: x.description.slice(0, 20_000),
    versionLabel: x.versionLabel.slice(0, 200),
    ...(x.servers.length ? { servers: x.servers as unknown as Prisma.InputJsonValue } : {}),
    ...(x.authSchemes.length ? { authSchemes: x.authSchemes as unknown as Prisma.InputJsonValue } : {}),
  };
}

/** Creates a provider from a document's text or URL, with its first version. */
export async function createProvider(opts: {
  actor: Actor;
  workspaceId: string;
  input: CreateProviderInput;
  requestId?: string;
  source?: string;
  prepared?: PreparedImport;
}): Promise<ProviderDto> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "integrations.manage");
  let prepared = opts.prepared;
  let catalog: CatalogSource | undefined;
  if ("catalogId" in opts.input) {
    const ready = await prepareCatalogEntry(opts.input.catalogId);
    prepared = ready.prepared;
    catalog = { id: ready.entry.id, version: ready.version, contentHash: ready.contentHash };
  }
  prepared ??= await prepareImport(opts.input as Exclude<CreateProviderInput, { catalogId: string }>);
  const ready = prepared;
  try {
    return await db.$transaction(async (tx) => createProviderIn(tx, { ...opts, prepared: ready, catalog }), TX_OPTIONS);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A provider with this name already exists in this workspace", "name");
    throw e;
  }
}

export async function createProviderIn(
  tx: Tx,
  opts: {
    actor: Actor;
    workspaceId: string;
    input: { name: string };
    prepared: PreparedImport;
    requestId?: string;
    source?: string;
    catalog?: CatalogSource;
  },
): Promise<ProviderDto> {
  const { actor, workspaceId, prepared, catalog } = opts;
  const clash = await tx.provider.findFirst({
    where: { workspaceId, name: { equals: opts.input.name, mode: "insensitive" } },
    select: { id: true },
  });
  if (clash) throw conflict("A provider with this name already exists in this workspace", "name");
  const provider = await tx.provider.create({
    data: {
      workspaceId,
      name: opts.input.name,
      ...documentFields(prepared.extracted),
      source: opts.source ?? "console",
      ...(catalog
        ? { globalId: catalog.id, catalogId: catalog.id, catalogVersion: catalog.version, catalogHash: catalog.contentHash }
        : {}),
      createdById: actor.type === "user" ? actor.id : null,
    },
    select: { id: true },
  });
  const version = await writeVersion(tx, { actor, providerId: provider.id, prepared });
  await tx.provider.update({ where: { id: provider.id, workspaceId }, data: { currentVersionId: version.id } });
  await recordAudit(tx, {
    actor,
    action: catalog ? "provider.sync" : "provider.import",
    targetType: "provider",
    targetId: provider.id,
    targetLabel: opts.input.name,
    workspaceId,
    changes: {
      ...(catalog ? { catalog: { from: null, to: catalog.id }, catalogVersion: { from: null, to: catalog.version } } : {}),
      version: { from: null, to: version.number },
      operations: { from: null, to: prepared.extracted.operations.length },
      source: { from: null, to: catalog ? "catalog" : (prepared.sourceUrl ?? prepared.sourceKind) },
      contentHash: { from: null, to: prepared.loaded.contentHash },
    },
    requestId: opts.requestId,
  });
  return getProviderIn(tx, provider.id, workspaceId);
}

/**
 * A new version of an existing provider from a document's text or URL. A document identical to the current
 * version's makes none (`versionCreated: false`).
 */
export async function importProviderVersion(opts: {
  actor: Actor;
  providerId: string;
  input: ImportProviderInput;
  requestId?: string;
  prepared?: PreparedImport;
  workspaceId?: string;
}): Promise<ProviderDto & { versionCreated: boolean }> {
  const workspaceId = opts.workspaceId ?? (await requireProviderAccess(opts.actor, opts.providerId, "integrations.manage"));
  const prepared = opts.prepared ?? (await prepareImport(opts.input));
  return db.$transaction(async (tx) => importProviderVersionIn(tx, { ...opts, workspaceId, prepared }), TX_OPTIONS);
}

export async function importProviderVersionIn(
  tx: Tx,
  opts: { actor: Actor; providerId: string; workspaceId: string; prepared: PreparedImport; requestId?: string },
): Promise<ProviderDto & { versionCreated: boolean }> {
  const { actor, providerId, workspaceId, prepared } = opts;
  const provider = await tx.provider.findFirst({
    where: { id: providerId, workspaceId },
    select: { id: true, name: true, currentVersionId: true },
  });
  if (!provider) throw notFound("Provider");
  const current = provider.currentVersionId
    ? await tx.providerVersion.findFirst({
        where: { id: provider.currentVersionId, providerId },
        select: { contentHash: true, number: true },
      })
    : null;
  if (current?.contentHash === prepared.loaded.contentHash)
    return { ...(await getProviderIn(tx, providerId, workspaceId)), versionCreated: false };
  const version = await writeVersion(tx, { actor, providerId, prepared });
  await tx.provider.update({
    where: { id: providerId, workspaceId },
    data: { currentVersionId: version.id, ...documentFields(prepared.extracted) },
  });
  await recordAudit(tx, {
    actor,
    action: "provider.reimport",
    targetType: "provider",
    targetId: providerId,
    targetLabel: provider.name,
    workspaceId,
    changes: {
      version: { from: current?.number ?? null, to: version.number },
      operations: { from: null, to: prepared.extracted.operations.length },
      source: { from: null, to: prepared.sourceUrl ?? prepared.sourceKind },
      contentHash: { from: null, to: prepared.loaded.contentHash },
    },
    requestId: opts.requestId,
  });
  return { ...(await getProviderIn(tx, providerId, workspaceId)), versionCreated: true };
}
