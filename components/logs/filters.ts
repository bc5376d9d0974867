/** The request log's filters, as URL search parameters (shared by the server page and the client view). */
export const LOG_FILTERS = ["status", "outcome", "model", "key", "user", "agent", "from", "to", "q"] as const;
export type LogFilters = Partial<Record<(typeof LOG_FILTERS)[number], string>>;

/** Date inputs give local days; the API takes instants. */
export function dayBoundary(day: string | undefined, end: boolean): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T${end ? "23:59:59.999" : "00:00:00"}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The admin API query for a set of URL filters. */
export function logQuery(workspaceId: string, f: LogFilters) {
  return {
    workspaceId,
    status: f.status,
    outcome: f.outcome,
    model: f.model,
    virtualKeyId: f.key,
    userId: f.user,
    agentId: f.agent,
    from: dayBoundary(f.from, false),
    to: dayBoundary(f.to, true),
    q: f.q,
  };
}
