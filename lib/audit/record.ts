import type { Tx } from "../db/types";
import { actorId, actorLabel, type Actor } from "../auth/actor";

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

export interface AuditInput {
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  targetLabel?: string | null;
  workspaceId?: string | null;
  changes?: FieldChanges | null;
  requestId?: string | null;
}

export const REDACTED = "[redacted]";

/** Field-by-field differences; secret fields are reported as changed without their values. */
export function diffFields<T extends Record<string, unknown>>(
  before: Partial<T> | null,
  after: Partial<T> | null,
  opts: { fields: (keyof T)[]; secret?: (keyof T)[] },
): FieldChanges {
  const out: FieldChanges = {};
  for (const f of opts.fields) {
    const from = before?.[f] ?? null;
    const to = after?.[f] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const secret = opts.secret?.includes(f);
    out[String(f)] = secret ? { from: from === null ? null : REDACTED, to: to === null ? null : REDACTED } : { from, to };
  }
  return out;
}

/** Writes one audit entry inside the caller's transaction, so the entry exists exactly when the change does. */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorType: input.actor.type,
      actorId: actorId(input.actor),
      actorLabel: actorLabel(input.actor),
      workspaceId: input.workspaceId ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      targetLabel: input.targetLabel ?? null,
      changes: input.changes && Object.keys(input.changes).length ? (input.changes as object) : undefined,
      requestId: input.requestId ?? null,
    },
  });
}
