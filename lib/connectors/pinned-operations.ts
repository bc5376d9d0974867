import { db } from "../db/client";
import { extractProvider, type ExtractedOperation } from "../providers/extract";

// The operations of a provider version other than the current one (a connector pinned to it), read from the
// stored document. Versions are immutable, so what one holds is kept once read; bounded, since a document can be
// megabytes and only a few versions are pinned at a time. Used by the tool list and by tool calls alike.
const MAX_PINNED = 8;
const pinned = new Map<string, Promise<Map<string, ExtractedOperation> | null>>();

/** The version's operations by operationId, in document order; null when the version is not the provider's. */
export function pinnedVersionOperations(providerId: string, versionId: string): Promise<Map<string, ExtractedOperation> | null> {
  const key = `${providerId}:${versionId}`;
  let hit = pinned.get(key);
  if (!hit) {
    hit = db.providerVersion.findFirst({ where: { id: versionId, providerId }, select: { document: true } }).then((v) => {
      if (!v) return null;
      const ops = extractProvider(JSON.parse(v.document) as Record<string, unknown>).operations;
      return new Map(ops.map((o) => [o.operationId, o]));
    });
    hit.catch(() => pinned.delete(key));
    if (pinned.size >= MAX_PINNED) pinned.delete(pinned.keys().next().value!);
    pinned.set(key, hit);
  }
  return hit;
}

/** Whether an operation is switched off is the provider's current setting for its method and path. */
export const switchKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
