import type { Prisma } from "../db/types";
import type { PlatformDto, PlatformKeyDto } from "../schemas/platforms";
import type { VendorId } from "./vendors";

// Read shapes of platforms and their keys. A key row carries only its credential's mask, never the secret.

export const platformKeySelect = {
  id: true,
  description: true,
  weight: true,
  enabled: true,
  credentialId: true,
  checkStatus: true,
  lastCheckedAt: true,
  lastUsedAt: true,
  lastError: true,
  lastErrorAt: true,
  position: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.PlatformKeySelect;

type KeyRow = Prisma.PlatformKeyGetPayload<{ select: typeof platformKeySelect }>;

export const platformInclude = {
  keys: { select: platformKeySelect, orderBy: [{ position: "asc" }, { createdAt: "asc" }] },
  routes: { select: { model: { select: { name: true } } } },
} as const satisfies Prisma.PlatformInclude;

type PlatformRow = Prisma.PlatformGetPayload<{ include: typeof platformInclude }>;

export function toPlatformKeyDto(k: KeyRow, mask: string): PlatformKeyDto {
  return {
    id: k.id,
    description: k.description,
    weight: k.weight,
    enabled: k.enabled,
    mask,
    credentialId: k.credentialId,
    checkStatus: k.checkStatus as PlatformKeyDto["checkStatus"],
    lastCheckedAt: k.lastCheckedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    lastError: k.lastError,
    lastErrorAt: k.lastErrorAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    updatedAt: k.updatedAt.toISOString(),
  };
}

/** `masks` maps credential ids to masks; with it, the keys are included. */
export function toPlatformDto(p: PlatformRow, masks?: Map<string, string>): PlatformDto {
  return {
    id: p.id,
    name: p.name,
    vendor: p.vendor as VendorId,
    baseUrl: p.baseUrl,
    apiVersion: p.apiVersion,
    notes: p.notes,
    status: p.status as PlatformDto["status"],
    internal: p.internal,
    source: p.source,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    keyCount: p.keys.length,
    enabledKeyCount: p.keys.filter((k) => k.enabled).length,
    routedModels: [...new Set(p.routes.map((r) => r.model.name))].sort(),
    ...(masks ? { keys: p.keys.map((k) => toPlatformKeyDto(k, masks.get(k.credentialId) ?? "")) } : {}),
  };
}
