/** The request log's filters, as URL search parameters (shared by the server page and the client view). */
export const LOG_FILTERS = ["status", "outcome", "model", "key", "user", "agent", "platform", "deployment", "from", "to", "q"] as const;
export type LogFilters = Partial<Record<(typeof LOG_FILTERS)[number], string>>;

/** Date inputs give local days; the API takes instants (a link from the Usage page may carry instants already). */
export function dayBoundary(day: string | undefined, end: boolean): string | undefined {
  if (!day) return undefined;
  if (day.includes("T")) {
    const t = new Date(day);
    return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
  }
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
    platformId: f.platform,
    deploymentId: f.deployment,
    from: dayBoundary(f.from, false),
    to: dayBoundary(f.to, true),
    q: f.q,
  };
}
