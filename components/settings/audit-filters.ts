/** The audit log's filters, as URL search parameters (shared by the server page and the client view). */
export const AUDIT_FILTERS = ["scope", "action", "actorType", "targetType", "from", "to", "q"] as const;
export type AuditFilters = Partial<Record<(typeof AUDIT_FILTERS)[number], string>>;
