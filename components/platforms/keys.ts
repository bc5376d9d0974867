// TanStack Query keys for platforms. Mutations of one platform invalidate `one(id)` and the lists.

export const platformKeys = {
  all: ["platforms"] as const,
  lists: () => [...platformKeys.all, "list"] as const,
  list: (filters: { q: string; vendor: string; status: string; cursor: string | undefined }) => [...platformKeys.lists(), filters] as const,
  one: (id: string) => [...platformKeys.all, "one", id] as const,
  /** Every platform's id and name (filter dropdowns). */
  names: () => [...platformKeys.all, "names"] as const,
};
