import type { Tx } from "../db/types";
import { pinnedVersionOperations, switchKey } from "../connectors/pinned-operations";

// The operations a connector offers: those of the provider version it pins, or of the provider's current
// version when it follows "latest". An operation switched off on the provider is off for every connector.

export interface ConnectorOperation {
  operationId: string;
  method: string;
  path: string;
  toolName: string;
  description: string;
  inputSchema: Record<string, unknown>;
  enabled: boolean;
}

export interface ConnectorRef {
  providerId: string;
  pinnedVersionId: string | null;
  provider: { currentVersionId: string | null };
}

/** Every operation of the connector in document order, each with whether it is enabled as a tool. */
export async function connectorOperations(tx: Tx, connector: ConnectorRef): Promise<ConnectorOperation[]> {
  const current = await tx.providerOperation.findMany({
    where: { providerId: connector.providerId },
    orderBy: { position: "asc" },
    select: { operationId: true, method: true, path: true, toolName: true, toolDescription: true, inputSchema: true, enabled: true },
  });
  const pinned =
    connector.pinnedVersionId && connector.pinnedVersionId !== connector.provider.currentVersionId
      ? await pinnedVersionOperations(connector.providerId, connector.pinnedVersionId)
      : null;
  if (!pinned) {
    return current.map((o) => ({
      operationId: o.operationId,
      method: o.method,
      path: o.path,
      toolName: o.toolName,
      description: o.toolDescription,
      inputSchema: o.inputSchema as Record<string, unknown>,
      enabled: o.enabled,
    }));
  }
  const disabled = new Set(current.filter((o) => !o.enabled).map((o) => switchKey(o.method, o.path)));
  return [...pinned.values()].map((o) => ({
    operationId: o.operationId,
    method: o.method,
    path: o.path,
    toolName: o.tool.name,
    description: o.tool.description,
    inputSchema: o.tool.inputSchema,
    enabled: !disabled.has(switchKey(o.method, o.path)),
  }));
}
