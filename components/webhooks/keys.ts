// TanStack Query keys for a workspace's incoming webhooks. Mutations invalidate the endpoint's (or workspace's) keys.

export const webhookKeys = {
  all: (workspaceId: string) => ["webhooks", workspaceId] as const,
  list: (workspaceId: string, filters: { q: string; cursor: string | undefined }) =>
    [...webhookKeys.all(workspaceId), "list", filters] as const,
  targets: (workspaceId: string) => [...webhookKeys.all(workspaceId), "targets"] as const,
  one: (id: string) => ["webhook", id] as const,
  events: (id: string, filters: object) => [...webhookKeys.one(id), "events", filters] as const,
  event: (id: string, eventId: string) => [...webhookKeys.one(id), "event", eventId] as const,
  stats: (id: string, range: string) => [...webhookKeys.one(id), "stats", range] as const,
};
