// TanStack Query keys for a workspace's MCP servers. Mutations invalidate the server's (or workspace's) keys.

export const mcpKeys = {
  all: (workspaceId: string) => ["mcp-servers", workspaceId] as const,
  list: (workspaceId: string, filters: { q: string; status: string; cursor: string | undefined }) =>
    [...mcpKeys.all(workspaceId), "list", filters] as const,
  one: (serverId: string) => ["mcp-server", serverId] as const,
  tools: (serverId: string) => [...mcpKeys.one(serverId), "tools"] as const,
  resources: (serverId: string) => [...mcpKeys.one(serverId), "resources"] as const,
  prompts: (serverId: string) => [...mcpKeys.one(serverId), "prompts"] as const,
  calls: (serverId: string, cursor: string | undefined) => [...mcpKeys.one(serverId), "calls", cursor] as const,
};
