import { db } from "../db/client";
import type { ParameterInfo } from "../providers/extract";
import { pinnedVersionOperations } from "../connectors/pinned-operations";
import type { OperationShape } from "./build-request";

// The connector and operation a tool call names. The connector is looked up inside the calling key's workspace
// only, so another workspace's connector is simply not found. The operation comes from the version the connector
// pins, or the provider's current operations when it follows the latest version.

export interface CallConnector {
  id: string;
  workspaceId: string;
  name: string;
  baseUrl: string;
  params: Record<string, unknown>;
  internal: boolean;
  authMode: string;
  authSettings: unknown;
  providerId: string;
  providerName: string;
}

export interface CallOperation extends OperationShape {
  operationId: string;
  toolName: string;
  enabled: boolean;
  inputSchema: unknown;
  /** Which stored version the definition comes from: part of the validator cache key. */
  versionId: string;
}

export async function findConnector(workspaceId: string, connectorId: string) {
  const row = await db.connector.findFirst({
    where: { id: connectorId, workspaceId },
    select: {
      id: true,
      workspaceId: true,
      name: true,
      baseUrl: true,
      params: true,
      internal: true,
      authMode: true,
      authSettings: true,
      pinnedVersionId: true,
      status: true,
      providerId: true,
      provider: { select: { name: true, currentVersionId: true } },
    },
  });
  if (!row) return null;
  const connector: CallConnector = {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    baseUrl: row.baseUrl,
    params: row.params && typeof row.params === "object" && !Array.isArray(row.params) ? (row.params as Record<string, unknown>) : {},
    internal: row.internal,
    authMode: row.authMode,
    authSettings: row.authSettings,
    providerId: row.providerId,
    providerName: row.provider.name,
  };
  return { connector, pinnedVersionId: row.pinnedVersionId, currentVersionId: row.provider.currentVersionId, status: row.status };
}

/**
 * The operation named `operationId` (its OpenAPI operationId, or else its tool name), or null. Whether it is
 * switched off is the provider's current setting for that method and path.
 */
export async function findOperation(
  found: { connector: CallConnector; pinnedVersionId: string | null; currentVersionId: string | null },
  operationId: string,
): Promise<CallOperation | null> {
  const { connector, pinnedVersionId, currentVersionId } = found;
  if (pinnedVersionId && pinnedVersionId !== currentVersionId) {
    const ops = await pinnedVersionOperations(connector.providerId, pinnedVersionId);
    const op = ops?.get(operationId) ?? [...(ops?.values() ?? [])].find((o) => o.tool.name === operationId);
    if (!op) return null;
    const switched = await db.providerOperation.findFirst({
      where: { providerId: connector.providerId, method: op.method, path: op.path },
      select: { enabled: true },
    });
    return {
      operationId: op.operationId,
      toolName: op.tool.name,
      method: op.method,
      path: op.path,
      parameters: op.parameters,
      requestBody: op.requestBody,
      inputSchema: op.tool.inputSchema,
      enabled: switched?.enabled ?? true,
      versionId: pinnedVersionId,
    };
  }
  const rows = await db.providerOperation.findMany({
    where: { providerId: connector.providerId, OR: [{ operationId }, { toolName: operationId }] },
    select: {
      operationId: true,
      toolName: true,
      method: true,
      path: true,
      parameters: true,
      requestBody: true,
      inputSchema: true,
      enabled: true,
    },
    take: 2,
  });
  const row = rows.find((r) => r.operationId === operationId) ?? rows[0];
  if (!row) return null;
  return {
    operationId: row.operationId,
    toolName: row.toolName,
    method: row.method,
    path: row.path,
    parameters: (Array.isArray(row.parameters) ? row.parameters : []) as unknown as ParameterInfo[],
    requestBody: (row.requestBody ?? null) as unknown as OperationShape["requestBody"],
    inputSchema: row.inputSchema,
    enabled: row.enabled,
    versionId: currentVersionId ?? "current",
  };
}
