import type { Prisma, Tx } from "../db/types";
import type { ConnectorDto, ConnectorStatus } from "../schemas/connectors";
import { authMode } from "./auth/registry";
import type { StoredAuthSettings } from "./auth/types";

export const connectorSelect = {
  id: true,
  workspaceId: true,
  name: true,
  description: true,
  globalId: true,
  baseUrl: true,
  pinnedVersionId: true,
  params: true,
  public: true,
  internal: true,
  authMode: true,
  authSettings: true,
  status: true,
  statusReason: true,
  statusAt: true,
  source: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
  provider: { select: { id: true, name: true } },
} satisfies Prisma.ConnectorSelect;

export type ConnectorRow = Prisma.ConnectorGetPayload<{ select: typeof connectorSelect }>;

export const storedSettings = (row: { authSettings: unknown }): StoredAuthSettings => {
  const s = (row.authSettings ?? {}) as Partial<StoredAuthSettings>;
  return { ...s, secretIds: s.secretIds ?? {} };
};

/** The mode's settings with each secret replaced by its mask; never a secret or a credential id. */
export function describeAuth(row: { authMode: string; authSettings: unknown }, masks: Record<string, string>): ConnectorDto["auth"] {
  const mode = authMode(row.authMode);
  const { secretIds: _ids, ...settings } = storedSettings(row);
  if (!mode) return { mode: row.authMode, label: row.authMode };
  return { mode: mode.mode, label: mode.label, ...mode.describe(settings, masks) };
}

/** Rows to DTOs, reading the masks and the pinned versions' numbers in two queries. */
export async function toConnectorDtos(tx: Tx, rows: ConnectorRow[]): Promise<ConnectorDto[]> {
  const pinned = rows.map((r) => r.pinnedVersionId).filter((v): v is string => !!v);
  const versions = pinned.length
    ? await tx.providerVersion.findMany({ where: { id: { in: pinned } }, select: { id: true, number: true } })
    : [];
  const numbers = new Map(versions.map((v) => [v.id, v.number]));
  const secretIds = rows.flatMap((r) => Object.values(storedSettings(r).secretIds));
  const creds = secretIds.length
    ? await tx.credential.findMany({
        where: { id: { in: secretIds }, workspaceId: { in: rows.map((r) => r.workspaceId) } },
        select: { id: true, mask: true },
      })
    : [];
  const maskById = new Map(creds.map((c) => [c.id, c.mask]));
  const out: ConnectorDto[] = [];
  for (const r of rows) {
    const masks = Object.fromEntries(Object.entries(storedSettings(r).secretIds).map(([f, id]) => [f, maskById.get(id) ?? ""]));
    out.push({
      id: r.id,
      workspaceId: r.workspaceId,
      name: r.name,
      description: r.description,
      provider: r.provider,
      globalId: r.globalId,
      baseUrl: r.baseUrl,
      pinnedVersionId: r.pinnedVersionId,
      pinnedVersionNumber: r.pinnedVersionId ? (numbers.get(r.pinnedVersionId) ?? null) : null,
      params: (r.params ?? {}) as Record<string, string>,
      public: r.public,
      internal: r.internal,
      auth: describeAuth(r, masks),
      status: r.status as ConnectorStatus,
      statusReason: r.statusReason,
      statusAt: r.statusAt?.toISOString() ?? null,
      source: r.source,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    });
  }
  return out;
}
