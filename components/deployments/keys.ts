// TanStack Query keys for deployments. Mutations invalidate `all` (a list row shows instance health too).
export const deploymentKeys = {
  all: ["deployments"] as const,
  list: (q: string, engine: string, cursor: string | undefined) => [...deploymentKeys.all, "list", { q, engine, cursor }] as const,
  detail: (id: string) => [...deploymentKeys.all, "detail", id] as const,
  history: (id: string, minutes: number) => [...deploymentKeys.all, "history", id, { minutes }] as const,
  /** Every deployment's id and name (filter dropdowns). */
  names: () => [...deploymentKeys.all, "names"] as const,
};
