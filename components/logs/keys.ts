// TanStack Query keys for the request log.
export const logKeys = {
  all: (workspaceId: string) => ["workspace", workspaceId, "requests"] as const,
  list: (workspaceId: string, filters: Record<string, string | undefined>) => [...logKeys.all(workspaceId), "list", filters] as const,
  detail: (workspaceId: string, requestId: string) => [...logKeys.all(workspaceId), "detail", requestId] as const,
  bodies: (workspaceId: string, requestId: string) => [...logKeys.all(workspaceId), "bodies", requestId] as const,
  deadLetters: (workspaceId: string) => [...logKeys.all(workspaceId), "dead-letters"] as const,
};
