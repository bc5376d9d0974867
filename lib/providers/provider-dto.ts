import type { Prisma } from "../db/types";
import type { OperationDto, ProviderDto } from "../schemas/providers";

export const providerSelect = {
  id: true,
  workspaceId: true,
  name: true,
  title: true,
  description: true,
  globalId: true,
  versionLabel: true,
  servers: true,
  authSchemes: true,
  currentVersionId: true,
  source: true,
  catalogId: true,
  catalogVersion: true,
  catalogHash: true,
  followUpdates: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ProviderSelect;

export type ProviderRow = Prisma.ProviderGetPayload<{ select: typeof providerSelect }>;

export function toProviderDto(
  row: ProviderRow,
  extra: { currentVersionNumber: number | null; specVersion: string | null; operationCount: number; enabledOperationCount: number },
  latest?: { version: string; contentHash: string } | null,
): ProviderDto {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    title: row.title,
    description: row.description,
    globalId: row.globalId,
    versionLabel: row.versionLabel,
    servers: row.servers as ProviderDto["servers"],
    authSchemes: row.authSchemes as ProviderDto["authSchemes"],
    currentVersionId: row.currentVersionId,
    source: row.source,
    catalog: row.catalogId
      ? {
          id: row.catalogId,
          syncedVersion: row.catalogVersion,
          latestVersion: latest?.version ?? null,
          updateAvailable: !!latest && latest.contentHash !== row.catalogHash,
        }
      : null,
    followUpdates: row.followUpdates,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...extra,
  };
}

export const operationSelect = {
  id: true,
  operationId: true,
  method: true,
  path: true,
  summary: true,
  description: true,
  tags: true,
  deprecated: true,
  enabled: true,
  parameters: true,
  requestBody: true,
  responses: true,
  security: true,
  toolName: true,
  toolDescription: true,
  inputSchema: true,
} satisfies Prisma.ProviderOperationSelect;

export function toOperationDto(row: Prisma.ProviderOperationGetPayload<{ select: typeof operationSelect }>): OperationDto {
  return {
    id: row.id,
    operationId: row.operationId,
    method: row.method,
    path: row.path,
    summary: row.summary,
    description: row.description,
    tags: row.tags,
    deprecated: row.deprecated,
    enabled: row.enabled,
    parameters: row.parameters as OperationDto["parameters"],
    requestBody: (row.requestBody ?? null) as OperationDto["requestBody"],
    responses: row.responses as OperationDto["responses"],
    security: (row.security ?? null) as OperationDto["security"],
    tool: { name: row.toolName, description: row.toolDescription, inputSchema: row.inputSchema as OperationDto["tool"]["inputSchema"] },
  };
}
