// TanStack Query keys for a workspace's connectors. Mutations invalidate the connector's (or workspace's) keys.

export const connectorKeys = {
  all: (workspaceId: string) => ["connectors", workspaceId] as const,
  list: (workspaceId: string, filters: { q: string; status: string; providerId: string; cursor: string | undefined }) =>
    [...connectorKeys.all(workspaceId), "list", filters] as const,
  one: (connectorId: string) => ["connector", connectorId] as const,
  mine: (workspaceId: string, filters: { q: string; cursor: string | undefined }) => ["connectors", workspaceId, "mine", filters] as const,
  myOne: (connectorId: string) => ["connector", connectorId, "mine"] as const,
  connections: (connectorId: string, filters: { q: string; cursor: string | undefined }) =>
    [...connectorKeys.one(connectorId), "connections", filters] as const,
  calls: (connectorId: string, cursor: string | undefined) => [...connectorKeys.one(connectorId), "calls", cursor] as const,
  providers: (workspaceId: string) => ["connectors", workspaceId, "providers"] as const,
  catalog: () => ["connectors", "catalog-entries"] as const,
  versions: (providerId: string) => ["connectors", "provider-versions", providerId] as const,
};
