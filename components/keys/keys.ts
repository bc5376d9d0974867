// TanStack Query keys for a workspace's API keys. Every mutation invalidates that workspace's lists.

export const virtualKeyKeys = {
  all: (workspaceId: string) => ["virtual-keys", workspaceId] as const,
  list: (workspaceId: string, filters: { q: string; status: string; cursor: string | undefined }) =>
    [...virtualKeyKeys.all(workspaceId), "list", filters] as const,
  modelNames: ["virtual-keys", "model-names"] as const,
};
