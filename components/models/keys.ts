// TanStack Query keys for the model registry. Mutations invalidate the narrowest key covering what changed.
export const modelKeys = {
  all: ["models"] as const,
  lists: () => [...modelKeys.all, "list"] as const,
  list: (filters: Record<string, string | undefined>) => [...modelKeys.lists(), filters] as const,
  providers: () => [...modelKeys.all, "providers"] as const,
  detail: (id: string) => [...modelKeys.all, "detail", id] as const,
  routeTargets: ["models", "route-targets"] as const,
  catalog: ["catalog", "models"] as const,
};
