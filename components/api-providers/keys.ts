// TanStack Query keys for a workspace's API providers. Mutations invalidate the provider's (or workspace's) keys.

export const providerKeys = {
  all: (workspaceId: string) => ["api-providers", workspaceId] as const,
  list: (workspaceId: string, filters: { q: string; cursor: string | undefined }) =>
    [...providerKeys.all(workspaceId), "list", filters] as const,
  one: (providerId: string) => ["api-provider", providerId] as const,
  operations: (providerId: string, filters: { q: string; tag: string; method: string; cursor: string | undefined }) =>
    [...providerKeys.one(providerId), "operations", filters] as const,
  versions: (providerId: string) => [...providerKeys.one(providerId), "versions"] as const,
  diff: (providerId: string, from: string, to: string) => [...providerKeys.one(providerId), "diff", from, to] as const,
  catalogUpdate: (providerId: string, latest: string) => [...providerKeys.one(providerId), "catalog-update", latest] as const,
};
