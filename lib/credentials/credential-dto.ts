import type { CredentialDto, CredentialKind } from "../schemas/credentials";

// The read shape of a credential (credentialDtoSchema): no field could carry the secret, only its mask.
export type { CredentialDto };

type Row = {
  id: string;
  workspaceId: string | null;
  name: string;
  kind: string;
  description: string;
  mask: string;
  keyId: string;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
  usages?: { ownerType: string; ownerId: string; label: string }[];
};

export function toCredentialDto(c: Row): CredentialDto {
  return {
    id: c.id,
    workspaceId: c.workspaceId,
    name: c.name,
    kind: c.kind as CredentialKind,
    description: c.description,
    mask: c.mask,
    keyId: c.keyId,
    source: c.source,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
    usedBy: (c.usages ?? []).map((u) => ({ ownerType: u.ownerType, ownerId: u.ownerId, label: u.label })),
  };
}

export const credentialSelect = {
  id: true,
  workspaceId: true,
  name: true,
  kind: true,
  description: true,
  mask: true,
  keyId: true,
  source: true,
  createdAt: true,
  updatedAt: true,
  lastUsedAt: true,
  usages: { select: { ownerType: true, ownerId: true, label: true } },
} as const;
