// TanStack Query keys for usage reports.
export const usageKeys = {
  all: ["usage"] as const,
  report: (query: Record<string, unknown>) => [...usageKeys.all, "report", query] as const,
  series: (query: Record<string, unknown>) => [...usageKeys.all, "series", query] as const,
  settings: (workspaceId: string) => ["workspace", workspaceId, "usage-settings"] as const,
};
