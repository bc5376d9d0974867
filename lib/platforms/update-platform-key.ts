import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields, REDACTED } from "../audit/record";
import { notFound } from "../errors";
import type { UpdatePlatformKeyInput } from "../schemas/platforms";
import { updateCredentialIn } from "../credentials/update-credential";
import { requirePlatformManage } from "./access";
import { loadPlatformDto } from "./get-platform";
import { attachKeyUsage, keyUsageLabel } from "./key-credential";
import { assertKeyDescriptionFree } from "./validate";
import { registryWrite } from "../gateway/registry-write";

/**
 * Changes one key inside `tx`: description, weight, on/off, or its value (replaced in the credentials store).
 * Only this key's row and credential are written, so the platform's other keys keep serving meanwhile.
 */
export async function updatePlatformKeyIn(
  tx: Tx,
  opts: { actor: Actor; platformId: string; keyId: string; input: UpdatePlatformKeyInput; requestId?: string; pathPrefix?: string },
): Promise<string[]> {
  const { actor, input } = opts;
  const key = await tx.platformKey.findFirst({
    where: { id: opts.keyId, platformId: opts.platformId },
    include: { platform: { select: { name: true } } },
  });
  if (!key) throw notFound("Key");
  const next = {
    description: input.description ?? key.description,
    weight: input.weight ?? key.weight,
    enabled: input.enabled ?? key.enabled,
  };
  if (next.description.toLowerCase() !== key.description.toLowerCase()) {
    await assertKeyDescriptionFree(tx, opts.platformId, next.description, key.id, `${opts.pathPrefix ?? ""}description`);
  }
  const changes = diffFields(key, next, { fields: ["description", "weight", "enabled"] });
  return registryWrite(tx, async (tx) => {
    if (Object.keys(changes).length) {
      await tx.platformKey.update({ where: { id: key.id }, data: next });
      if (changes.description) await attachKeyUsage(tx, key, keyUsageLabel(key.platform.name, next.description));
    }
    if (input.value !== undefined) {
      await updateCredentialIn(tx, {
        actor,
        workspaceId: null,
        credentialId: key.credentialId,
        input: { value: input.value },
        requestId: opts.requestId,
      });
      // A new value has not been checked yet, and the old value's errors no longer apply.
      await tx.platformKey.update({
        where: { id: key.id },
        data: { checkStatus: "unknown", lastCheckedAt: null, lastError: null, lastErrorAt: null },
      });
      changes.value = { from: REDACTED, to: REDACTED };
    }
    const audit = {
      actor,
      action: input.value !== undefined ? "platform.key.replace" : "platform.key.update",
      targetType: "platform",
      targetId: opts.platformId,
      targetLabel: `${key.platform.name} / ${next.description || `key ${key.position + 1}`}`,
      changes,
      requestId: opts.requestId,
    };
    return { result: Object.keys(changes), audit: Object.keys(changes).length ? audit : null };
  });
}

export async function updatePlatformKey(opts: {
  actor: Actor;
  platformId: string;
  keyId: string;
  input: UpdatePlatformKeyInput;
  requestId?: string;
}) {
  requirePlatformManage(opts.actor);
  return db.$transaction(async (tx) => {
    await updatePlatformKeyIn(tx, opts);
    const dto = await loadPlatformDto(tx, opts.platformId);
    return dto.keys!.find((k) => k.id === opts.keyId)!;
  });
}
