// TanStack Query keys, one factory per domain. Mutations invalidate the narrowest key covering what changed.

export const workspaceKeys = {
  all: ["workspaces"] as const,
  list: (q: string) => [...workspaceKeys.all, "list", { q }] as const,
};

export const memberKeys = {
  all: (workspaceId: string) => ["workspace", workspaceId, "members"] as const,
  list: (workspaceId: string, q: string, cursor: string | undefined) => [...memberKeys.all(workspaceId), { q, cursor }] as const,
};

export const invitationKeys = {
  all: (workspaceId: string) => ["workspace", workspaceId, "invitations"] as const,
};

export const tokenKeys = {
  all: ["admin-tokens"] as const,
  list: (q: string, includeRevoked: boolean, cursor: string | undefined) => [...tokenKeys.all, { q, includeRevoked, cursor }] as const,
};

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: Record<string, string | undefined>) => [...auditKeys.all, filters] as const,
};

export const credentialKeys = {
  all: ["credentials"] as const,
  list: (scope: string, q: string, kind: string, cursor: string | undefined) =>
    [...credentialKeys.all, scope, { q, kind, cursor }] as const,
  keyCounts: ["credentials", "key-counts"] as const,
};

export const loggingKeys = {
  detail: (workspaceId: string) => ["workspace", workspaceId, "logging"] as const,
};
