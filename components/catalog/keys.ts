// TanStack Query keys for the central repository of API providers (platform-wide, read-only).

export const catalogKeys = {
  all: ["catalog-providers"] as const,
  list: (filters: { q: string; category: string; cursor: string | undefined }) => [...catalogKeys.all, "list", filters] as const,
};
