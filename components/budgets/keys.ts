// TanStack Query keys for a workspace's budgets and alerts. Changes to a budget invalidate the status; reading
// alerts invalidates the alert lists (the bell and the history share them).

export const budgetKeys = {
  all: (workspaceId: string) => ["budgets", workspaceId] as const,
  status: (workspaceId: string) => [...budgetKeys.all(workspaceId), "status"] as const,
  alerts: (workspaceId: string) => [...budgetKeys.all(workspaceId), "alerts"] as const,
  alertPage: (workspaceId: string, cursor: string | undefined, limit: number) =>
    [...budgetKeys.alerts(workspaceId), cursor ?? "", limit] as const,
};
