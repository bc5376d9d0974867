import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import { requirePlatformRead } from "./access";
import { platformInclude, toPlatformDto } from "./platform-dto";

/** One platform with its keys (masked), read inside `tx` so writers can return what they wrote. */
export async function loadPlatformDto(tx: Tx, platformId: string) {
  const row = await tx.platform.findUnique({ where: { id: platformId }, include: platformInclude });
  if (!row) throw notFound("Platform");
  const creds = await tx.credential.findMany({
    where: { id: { in: row.keys.map((k) => k.credentialId) }, workspaceId: null },
    select: { id: true, mask: true },
  });
  return toPlatformDto(row, new Map(creds.map((c) => [c.id, c.mask])));
}

export async function getPlatform(opts: { actor: Actor; platformId: string }) {
  await requirePlatformRead(opts.actor);
  return loadPlatformDto(db, opts.platformId);
}
