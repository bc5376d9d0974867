import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { REDACTED } from "../audit/record";
import { notFound } from "../errors";
import type { NewPlatformKeyInput } from "../schemas/platforms";
import { requirePlatformManage } from "./access";
import { loadPlatformDto } from "./get-platform";
import { attachKeyUsage, keyUsageLabel, storeKeyCredential } from "./key-credential";
import { assertKeyDescriptionFree } from "./validate";
import { registryWrite } from "../gateway/registry-write";

/** Adds one key to a platform inside `tx`: the value goes to the credentials store, the key row points at it. */
export async function addPlatformKeyIn(
  tx: Tx,
  opts: {
    actor: Actor;
    platform: { id: string; name: string };
    input: NewPlatformKeyInput;
    source?: string;
    requestId?: string;
    /** Configuration files: see storeKeyCredential. */
    adoptCredential?: boolean;
    position?: number;
    descriptionPath?: string;
  },
) {
  const { actor, platform, input } = opts;
  await assertKeyDescriptionFree(tx, platform.id, input.description, undefined, opts.descriptionPath);
  const position =
    opts.position ??
    ((await tx.platformKey.aggregate({ where: { platformId: platform.id }, _max: { position: true } }))._max.position ?? -1) + 1;
  const stored = await storeKeyCredential(tx, {
    actor,
    platformName: platform.name,
    description: input.description,
    position,
    value: input.value,
    source: opts.source ?? "console",
    requestId: opts.requestId,
    adopt: opts.adoptCredential,
  });
  const key = await registryWrite(tx, async (tx) => {
    const key = await tx.platformKey.create({
      data: {
        platformId: platform.id,
        description: input.description,
        weight: input.weight,
        enabled: input.enabled,
        credentialId: stored.credentialId,
        position,
      },
    });
    await attachKeyUsage(tx, key, keyUsageLabel(platform.name, key.description));
    const audit = {
      actor,
      action: "platform.key.add",
      targetType: "platform",
      targetId: platform.id,
      targetLabel: platform.name,
      changes: {
        key: { from: null, to: key.description || `key ${position + 1}` },
        weight: { from: null, to: key.weight },
        enabled: { from: null, to: key.enabled },
        value: { from: null, to: REDACTED },
      },
      requestId: opts.requestId,
    };
    return { result: key, audit };
  });
  return { key, adopted: stored.adopted };
}

export async function addPlatformKey(opts: { actor: Actor; platformId: string; input: NewPlatformKeyInput; requestId?: string }) {
  requirePlatformManage(opts.actor);
  return db.$transaction(async (tx) => {
    const platform = await tx.platform.findUnique({ where: { id: opts.platformId }, select: { id: true, name: true } });
    if (!platform) throw notFound("Platform");
    const { key } = await addPlatformKeyIn(tx, { ...opts, platform });
    const dto = await loadPlatformDto(tx, platform.id);
    return dto.keys!.find((k) => k.id === key.id)!;
  });
}
