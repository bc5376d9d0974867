import type { Tx } from "../../db/types";
import type { Actor } from "../../auth/actor";
import { diffFields } from "../../audit/record";
import { platformConfigSchema, type PlatformConfigItem } from "../../schemas/platforms";
import { AppError, isAppError, type FieldProblem } from "../../errors";
import { createPlatformIn } from "../../platforms/create-platform";
import { addPlatformKeyIn } from "../../platforms/add-platform-key";
import { updatePlatformKeyIn } from "../../platforms/update-platform-key";
import { removePlatformKeyIn } from "../../platforms/remove-platform-key";
import { storedValueEquals } from "../../platforms/key-credential";
import { effectiveApiVersion, type VendorId } from "../../platforms/vendors";
import { assertBaseUrlAllowed } from "../../platforms/validate";
import type { ConfigChange, ConfigSection } from "../types";
import { secretEnvName } from "./credentials";
import { registryWrite } from "../../gateway/registry-write";

const item = platformConfigSchema;
type Item = PlatformConfigItem;
type FileKey = NonNullable<Item["keys"]>[number];

type ExistingKey = { id: string; description: string; weight: number; enabled: boolean; credentialId: string; position: number };

/**
 * Pairs the file's keys with stored ones: by description (case-insensitive) where the file gives one, else by
 * position among the keys without a description.
 */
export function matchKeys<K extends { description: string; position: number }>(
  file: { description?: string }[],
  stored: K[],
): (K | null)[] {
  const byDescription = new Map(stored.filter((k) => k.description).map((k) => [k.description.toLowerCase(), k]));
  const unnamed = stored.filter((k) => !k.description).sort((a, b) => a.position - b.position);
  let next = 0;
  return file.map((f) => (f.description ? (byDescription.get(f.description.toLowerCase()) ?? null) : (unnamed[next++] ?? null)));
}

async function applyKeys(
  tx: Tx,
  ctx: { actor: Actor; requestId?: string; dryRun: boolean },
  platform: { id: string; name: string; keys: ExistingKey[] },
  keys: FileKey[],
  path: string,
): Promise<string[]> {
  const fields: string[] = [];
  const matched = matchKeys(keys, platform.keys);
  const label = (k: { description?: string }, i: number) => `keys[${k.description || i}]`;
  for (const [i, fk] of keys.entries()) {
    const existing = matched[i];
    if (!existing) {
      fields.push(`${label(fk, i)} added`);
      if (!ctx.dryRun) {
        await addPlatformKeyIn(tx, {
          actor: ctx.actor,
          platform,
          input: { value: fk.value, description: fk.description ?? "", weight: fk.weight ?? 1, enabled: fk.enabled ?? true },
          position: i,
          source: "config",
          requestId: ctx.requestId,
          adoptCredential: true,
          descriptionPath: `${path}.keys[${i}].description`,
        });
      }
      continue;
    }
    const input = {
      ...(fk.weight !== undefined && fk.weight !== existing.weight ? { weight: fk.weight } : {}),
      ...(fk.enabled !== undefined && fk.enabled !== existing.enabled ? { enabled: fk.enabled } : {}),
      ...((await storedValueEquals(tx, existing.credentialId, fk.value)) ? {} : { value: fk.value }),
    };
    if (!Object.keys(input).length) continue;
    fields.push(...Object.keys(input).map((f) => `${label(fk, i)}.${f}`));
    if (!ctx.dryRun) {
      await updatePlatformKeyIn(tx, {
        actor: ctx.actor,
        platformId: platform.id,
        keyId: existing.id,
        input,
        requestId: ctx.requestId,
        pathPrefix: `${path}.keys[${i}].`,
      });
    }
  }
  const kept = new Set(matched.filter(Boolean).map((k) => k!.id));
  for (const k of platform.keys) {
    if (kept.has(k.id)) continue;
    fields.push(`keys[${k.description || `position ${k.position}`}] removed`);
    if (!ctx.dryRun) await removePlatformKeyIn(tx, { actor: ctx.actor, platformId: platform.id, keyId: k.id, requestId: ctx.requestId });
  }
  return fields;
}

/**
 * Platforms are matched by name (case-insensitive). Settings present in the file are applied; when the file
 * lists `keys`, they are the platform's whole set of keys (missing ones are removed).
 */
export const platformsSection: ConfigSection<Item> = {
  key: "platforms",
  item,
  identity: (p) => p.name.toLowerCase(),
  secretFields: ["keys[].value"],
  async apply(items, { tx, actor, requestId, dryRun }) {
    const existing = await Promise.all(
      items.map((p) =>
        tx.platform.findFirst({
          where: { name: { equals: p.name, mode: "insensitive" } },
          include: {
            keys: {
              select: { id: true, description: true, weight: true, enabled: true, credentialId: true, position: true },
              orderBy: { position: "asc" },
            },
          },
        }),
      ),
    );
    const problems: FieldProblem[] = [];
    for (const [i, p] of items.entries()) {
      try {
        assertBaseUrlAllowed(p.baseUrl, p.internal ?? existing[i]?.internal ?? false, `platforms[${i}].baseUrl`);
      } catch (e) {
        if (!isAppError(e) || !e.fields) throw e;
        problems.push(...e.fields);
      }
    }
    if (problems.length)
      throw new AppError("validation_failed", "The configuration has platforms that are not allowed; nothing was applied", {
        fields: problems,
      });

    const changes: ConfigChange[] = [];
    for (const [i, p] of items.entries()) {
      const path = `platforms[${i}]`;
      const before = existing[i];
      if (!before) {
        changes.push({ section: "platforms", name: p.name, action: "create" });
        if (!dryRun) {
          const keys = (p.keys ?? []).map((k) => ({
            value: k.value,
            description: k.description ?? "",
            weight: k.weight ?? 1,
            enabled: k.enabled ?? true,
          }));
          await createPlatformIn(tx, {
            actor,
            input: { ...p, keys },
            source: "config",
            requestId,
            adoptCredentials: true,
            pathPrefix: `${path}.`,
          });
        }
        continue;
      }
      const vendor = p.vendor as VendorId;
      const next = {
        vendor,
        baseUrl: p.baseUrl,
        apiVersion: effectiveApiVersion(vendor, p.apiVersion),
        notes: p.notes ?? before.notes,
        status: p.status ?? before.status,
        internal: p.internal ?? before.internal,
      };
      const diff = diffFields(before, next, { fields: ["vendor", "baseUrl", "apiVersion", "notes", "status", "internal"] });
      const fields = Object.keys(diff);
      if (fields.length && !dryRun) {
        await registryWrite(tx, async (tx) => {
          await tx.platform.update({ where: { id: before.id }, data: next });
          return {
            result: undefined,
            audit: {
              actor,
              action: "platform.update",
              targetType: "platform",
              targetId: before.id,
              targetLabel: before.name,
              changes: diff,
              requestId,
            },
          };
        });
      }
      if (p.keys) fields.push(...(await applyKeys(tx, { actor, requestId, dryRun }, before, p.keys, path)));
      changes.push(
        fields.length
          ? { section: "platforms", name: p.name, action: "update", fields }
          : { section: "platforms", name: p.name, action: "unchanged" },
      );
    }
    return changes;
  },
  async export(tx) {
    const rows = await tx.platform.findMany({
      orderBy: { name: "asc" },
      include: { keys: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
    });
    const creds = new Map(
      (
        await tx.credential.findMany({
          where: { id: { in: rows.flatMap((p) => p.keys.map((k) => k.credentialId)) }, workspaceId: null },
          select: { id: true, name: true },
        })
      ).map((c) => [c.id, c.name]),
    );
    return rows.map((p) => ({
      name: p.name,
      vendor: p.vendor,
      baseUrl: p.baseUrl,
      ...(p.apiVersion ? { apiVersion: p.apiVersion } : {}),
      ...(p.notes ? { notes: p.notes } : {}),
      ...(p.internal ? { internal: true } : {}),
      ...(p.status !== "active" ? { status: p.status } : {}),
      keys: p.keys.map((k) => ({
        // The same variable the credentials section names for this secret, so one variable feeds both.
        value: `\${env:${secretEnvName(null, creds.get(k.credentialId) ?? `platform ${p.name} ${k.description || k.position + 1}`)}}`,
        ...(k.description ? { description: k.description } : {}),
        weight: k.weight,
        ...(k.enabled ? {} : { enabled: false }),
      })),
    }));
  },
};
