import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import { requirePlatformManage } from "./access";
import { destroyKeyCredential } from "./key-credential";
import { registryWrite } from "../gateway/registry-write";

/** Removes one key and destroys its stored value; the platform's other keys are untouched. */
export async function removePlatformKeyIn(tx: Tx, opts: { actor: Actor; platformId: string; keyId: string; requestId?: string }) {
  const key = await tx.platformKey.findFirst({
    where: { id: opts.keyId, platformId: opts.platformId },
    include: { platform: { select: { name: true } } },
  });
  if (!key) throw notFound("Key");
  await registryWrite(tx, async (tx) => {
    await tx.platformKey.delete({ where: { id: key.id } });
    await destroyKeyCredential(tx, { actor: opts.actor, key, requestId: opts.requestId });
    const audit = {
      actor: opts.actor,
      action: "platform.key.remove",
      targetType: "platform",
      targetId: opts.platformId,
      targetLabel: key.platform.name,
      changes: { key: { from: key.description || `key ${key.position + 1}`, to: null } },
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
}

export async function removePlatformKey(opts: { actor: Actor; platformId: string; keyId: string; requestId?: string }) {
  requirePlatformManage(opts.actor);
  await db.$transaction((tx) => removePlatformKeyIn(tx, opts));
}
