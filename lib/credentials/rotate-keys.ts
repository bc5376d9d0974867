import { db } from "../db/client";
import { currentKeyId, openSecret, sealSecret } from "../crypto";
import { sealContext } from "./create-credential";
import { registryWrite } from "../gateway/registry-write";

export interface KeyCount {
  keyId: string;
  count: number;
  current: boolean;
}

/** How many stored secrets each key id protects; an old key can be retired when its count is 0. */
export async function keyUsageCounts(): Promise<KeyCount[]> {
  const current = currentKeyId();
  const groups = await db.credential.groupBy({ by: ["keyId"], _count: { _all: true } });
  const out = groups.map((g) => ({ keyId: g.keyId, count: g._count._all, current: g.keyId === current }));
  if (!out.some((k) => k.current)) out.push({ keyId: current, count: 0, current: true });
  return out.sort((a, b) => Number(b.current) - Number(a.current) || a.keyId.localeCompare(b.keyId));
}

/**
 * Re-encrypts up to `batchSize` secrets that are not under the current key. Each row is rewritten with a
 * compare-and-set on its old ciphertext, so a crash or a concurrent run at any point leaves every row readable
 * under one of the keys, and running again simply continues. Returns how many rows it moved.
 */
export async function rotateBatch(opts: {
  batchSize: number;
  /** Continue after this id (rows that failed to decrypt stay behind, and are not retried in the same run). */
  afterId?: string;
}): Promise<{ rotated: number; failed: { id: string; reason: string }[]; lastId: string | null }> {
  const current = currentKeyId();
  const rows = await db.credential.findMany({
    where: { NOT: { keyId: current }, ...(opts.afterId ? { id: { gt: opts.afterId } } : {}) },
    select: { id: true, workspaceId: true, ciphertext: true, keyId: true },
    orderBy: { id: "asc" },
    take: opts.batchSize,
  });
  let rotated = 0;
  const failed: { id: string; reason: string }[] = [];
  for (const row of rows) {
    let plaintext: string;
    try {
      plaintext = openSecret(row.ciphertext, sealContext(row.id, row.workspaceId));
    } catch (e) {
      failed.push({ id: row.id, reason: (e as Error).message });
      continue;
    }
    const next = sealSecret(plaintext, sealContext(row.id, row.workspaceId));
    // The gateway's snapshot holds sealed values: it must pick up the re-sealed ones before the old key goes.
    rotated += await registryWrite(db, async (tx) => {
      const res = await tx.credential.updateMany({
        where: { id: row.id, keyId: row.keyId, ciphertext: row.ciphertext },
        data: { ciphertext: next, keyId: current },
      });
      return { result: res.count, audit: null, snapshot: res.count > 0 };
    });
  }
  return { rotated, failed, lastId: rows.length ? rows[rows.length - 1].id : null };
}
