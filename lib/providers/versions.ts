import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors";
import type { ProviderDto, VersionDto } from "../schemas/providers";
import { requireProviderAccess } from "./access";
import { diffSignatures, type Signature, type VersionDiff } from "./diff";
import { countOperations, extractProvider } from "./extract";
import { getProviderIn } from "./get-provider";
import { writeVersion } from "./import-provider";

const versionSelect = {
  id: true,
  number: true,
  contentHash: true,
  sourceKind: true,
  sourceUrl: true,
  restoredFromId: true,
  versionLabel: true,
  specVersion: true,
  operationCount: true,
  createdByLabel: true,
  createdAt: true,
} as const;

/** A provider's versions, newest first. */
export async function listVersions(opts: { actor: Actor; providerId: string }): Promise<{ data: VersionDto[]; nextCursor: null }> {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.read");
  const provider = await db.provider.findFirst({ where: { id: opts.providerId, workspaceId }, select: { currentVersionId: true } });
  if (!provider) throw notFound("Provider");
  const rows = await db.providerVersion.findMany({
    where: { providerId: opts.providerId, provider: { workspaceId } },
    select: versionSelect,
    orderBy: { number: "desc" },
  });
  return {
    data: rows.map((r) => ({
      id: r.id,
      number: r.number,
      contentHash: r.contentHash,
      sourceKind: r.sourceKind as VersionDto["sourceKind"],
      sourceUrl: r.sourceUrl,
      restoredFromId: r.restoredFromId,
      versionLabel: r.versionLabel,
      specVersion: r.specVersion,
      operationCount: r.operationCount,
      createdBy: r.createdByLabel,
      createdAt: r.createdAt.toISOString(),
      current: r.id === provider.currentVersionId,
    })),
    nextCursor: null,
  };
}

/** The operation-level difference from one version to another of the same provider. */
export async function diffVersions(opts: {
  actor: Actor;
  providerId: string;
  from: string;
  to: string;
}): Promise<VersionDiff & { from: string; to: string; breaking: boolean }> {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.read");
  const rows = await db.providerVersion.findMany({
    where: { id: { in: [opts.from, opts.to] }, providerId: opts.providerId, provider: { workspaceId } },
    select: { id: true, signature: true },
  });
  const from = rows.find((r) => r.id === opts.from);
  const to = rows.find((r) => r.id === opts.to);
  if (!from || !to)
    throw new AppError("not_found", "Version not found", {
      fields: [{ path: !from ? "from" : "to", message: "No such version of this provider" }],
    });
  const diff = diffSignatures(from.signature as unknown as Signature, to.signature as unknown as Signature);
  return { from: from.id, to: to.id, ...diff, breaking: [...diff.removed, ...diff.changed].some((d) => d.breaking) };
}

/** Makes an earlier version current again, as a new version that copies it (history is never rewritten). */
export async function restoreVersion(opts: {
  actor: Actor;
  providerId: string;
  versionId: string;
  requestId?: string;
}): Promise<ProviderDto & { versionCreated: boolean }> {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.manage");
  return db.$transaction(
    async (tx) => {
      const provider = await tx.provider.findFirst({
        where: { id: opts.providerId, workspaceId },
        select: { id: true, name: true, currentVersionId: true },
      });
      if (!provider) throw notFound("Provider");
      const source = await tx.providerVersion.findFirst({
        where: { id: opts.versionId, providerId: provider.id },
        select: { id: true, number: true, document: true, contentHash: true, specVersion: true, sourceUrl: true },
      });
      if (!source) throw notFound("Version");
      if (source.id === provider.currentVersionId) return { ...(await getProviderIn(tx, provider.id, workspaceId)), versionCreated: false };
      const document = JSON.parse(source.document) as Record<string, unknown>;
      const extracted = extractProvider(document);
      if (extracted.operations.length !== countOperations(document))
        throw new AppError("internal", "The stored document could not be read again");
      const version = await writeVersion(tx, {
        actor: opts.actor,
        providerId: provider.id,
        restoredFromId: source.id,
        prepared: {
          loaded: { document, json: source.document, contentHash: source.contentHash, specVersion: source.specVersion },
          extracted,
          sourceKind: "restore",
          sourceUrl: source.sourceUrl,
        },
      });
      await tx.provider.update({
        where: { id: provider.id, workspaceId },
        data: { currentVersionId: version.id, versionLabel: extracted.versionLabel.slice(0, 200) },
      });
      await recordAudit(tx, {
        actor: opts.actor,
        action: "provider.restore",
        targetType: "provider",
        targetId: provider.id,
        targetLabel: provider.name,
        workspaceId,
        changes: { version: { from: null, to: version.number }, restoredFrom: { from: null, to: source.number } },
        requestId: opts.requestId,
      });
      return { ...(await getProviderIn(tx, provider.id, workspaceId)), versionCreated: true };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
