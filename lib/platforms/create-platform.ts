import { db } from "../db/client";
import type { Tx } from "../db/types";
import { isUniqueViolation } from "../db/errors";
import type { Actor } from "../auth/actor";
import { conflict } from "../errors";
import type { CreatePlatformInput } from "../schemas/platforms";
import { requirePlatformManage } from "./access";
import { addPlatformKeyIn } from "./add-platform-key";
import { loadPlatformDto } from "./get-platform";
import { effectiveApiVersion } from "./vendors";
import { assertBaseUrlAllowed, assertPlatformNameFree } from "./validate";
import { registryWrite } from "../gateway/registry-write";

/** Creates a platform and its keys inside `tx`. */
export async function createPlatformIn(
  tx: Tx,
  opts: { actor: Actor; input: CreatePlatformInput; source?: string; requestId?: string; adoptCredentials?: boolean; pathPrefix?: string },
) {
  const { actor, input } = opts;
  const internal = input.internal ?? false;
  const prefix = opts.pathPrefix ?? "";
  assertBaseUrlAllowed(input.baseUrl, internal, `${prefix}baseUrl`);
  await assertPlatformNameFree(tx, input.name, undefined, `${prefix}name`);
  const platform = await registryWrite(tx, async (tx) => {
    const platform = await tx.platform.create({
      data: {
        name: input.name,
        vendor: input.vendor,
        baseUrl: input.baseUrl,
        apiVersion: effectiveApiVersion(input.vendor, input.apiVersion),
        notes: input.notes ?? "",
        status: input.status ?? "active",
        internal,
        source: opts.source ?? "console",
      },
    });
    const audit = {
      actor,
      action: "platform.create",
      targetType: "platform",
      targetId: platform.id,
      targetLabel: platform.name,
      changes: Object.fromEntries(
        (["name", "vendor", "baseUrl", "apiVersion", "status", "internal"] as const).map((f) => [f, { from: null, to: platform[f] }]),
      ),
      requestId: opts.requestId,
    };
    return { result: platform, audit };
  });
  for (const [i, key] of input.keys.entries()) {
    await addPlatformKeyIn(tx, {
      actor,
      platform,
      input: key,
      position: i,
      source: opts.source,
      requestId: opts.requestId,
      adoptCredential: opts.adoptCredentials,
      descriptionPath: `${prefix}keys[${i}].description`,
    });
  }
  return platform;
}

export async function createPlatform(opts: { actor: Actor; input: CreatePlatformInput; requestId?: string }) {
  requirePlatformManage(opts.actor);
  try {
    return await db.$transaction(async (tx) => {
      const p = await createPlatformIn(tx, opts);
      return loadPlatformDto(tx, p.id);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A platform with this name already exists", "name");
    throw e;
  }
}
