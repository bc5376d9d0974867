import { z } from "../../schemas/zod";
import { connectorNameSchema } from "../../schemas/connectors";
import type { Tx } from "../../db/types";
import type { Actor } from "../../auth/actor";
import { AppError, isAppError } from "../../errors";
import { assignConnectorIn, removeAssignmentIn, updateAssignmentIn, type ResolvedTarget } from "../../agents/assignments";

// `connectors: [{ connector, operations? }]` on a worker, a workflow node or a skill: connectors of the same
// workspace by name, and the operations picked by operation id (none: every enabled one; a skill must pick).
// The list is the target's whole set of assignments: connectors missing from it are unassigned.

const operationIdSchema = z.string().trim().min(1, "Required").max(200, "Must be at most 200 characters");

export const assignmentListSchema = z
  .array(z.strictObject({ connector: connectorNameSchema, operations: z.array(operationIdSchema).max(1000).optional() }))
  .max(200, "At most 200 connectors")
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((a, i) => {
      const first = seen.get(a.connector.toLowerCase());
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "connector"], message: `Duplicate of connectors[${first}]` });
      else seen.set(a.connector.toLowerCase(), i);
    });
  });
export type AssignmentEntry = z.infer<typeof assignmentListSchema>[number];

export interface ReconcileContext {
  tx: Tx;
  actor: Actor;
  requestId?: string;
  dryRun: boolean;
}

/**
 * A domain error about one entry, reported at its place in the file: `operationIds[j]` of the domain becomes the
 * entry's `operations[...]` at the index the file wrote it (the domain sees the list without repeats).
 */
function atEntry(e: unknown, at: string, connector: string, fileIndex: number[]): unknown {
  if (!isAppError(e)) return e;
  const where = (p: string) => {
    const m = /^operationIds(?:\[(\d+)\])?(.*)$/.exec(p);
    if (m) return `${at}.operations${m[1] !== undefined ? `[${fileIndex[Number(m[1])] ?? m[1]}]` : ""}${m[2]}`;
    return p === "connectorId" ? `${at}.connector` : `${at}.${p}`;
  };
  const fields = e.fields?.length
    ? e.fields.map((f) => ({ path: where(f.path), message: `Connector ${connector}: ${f.message}` }))
    : [{ path: at, message: `Connector ${connector}: ${e.message}` }];
  return new AppError(e.code, `${at}: ${fields[0].message}`, { fields });
}

const notInWorkspace = (at: string, name: string, workspace: string) =>
  new AppError("validation_failed", `${at}.connector: no connector named ${name} in workspace ${workspace}`, {
    fields: [{ path: `${at}.connector`, message: `No connector named ${name} in workspace ${workspace}` }],
  });

/**
 * Makes the target's assignments those of the file, through the assignment domain functions (same checks and
 * audit as the console). Entries equal to what is stored write nothing. Returns what changed, for the apply report.
 * `target` is null when the target itself is still to be created in a dry run.
 */
export async function reconcileAssignments(
  ctx: ReconcileContext,
  opts: {
    target: ResolvedTarget | null;
    workspaceId: string;
    workspaceName: string;
    entries: AssignmentEntry[];
    path: string;
    label: string;
  },
): Promise<string[]> {
  const { tx } = ctx;
  const { target } = opts;
  const wanted: { entry: AssignmentEntry; at: string; connector: { id: string; name: string } | null }[] = [];
  for (const [k, entry] of opts.entries.entries()) {
    const at = `${opts.path}[${k}]`;
    const connector = await tx.connector.findFirst({
      where: { workspaceId: opts.workspaceId, name: { equals: entry.connector, mode: "insensitive" } },
      select: { id: true, name: true },
    });
    // In a dry run, a connector the same file creates does not exist yet.
    if (!connector && !ctx.dryRun) throw notInWorkspace(at, entry.connector, opts.workspaceName);
    wanted.push({ entry, at, connector });
  }
  const existing = target
    ? await tx.connectorAssignment.findMany({
        where: { ...target.where, workspaceId: target.workspaceId },
        select: { id: true, operationIds: true, connector: { select: { id: true, name: true } } },
      })
    : [];
  const fields: string[] = [];
  const keep = new Set(wanted.map((w) => w.connector?.id));
  for (const a of existing) {
    if (keep.has(a.connector.id)) continue;
    fields.push(`${opts.label}connectors[${a.connector.name}] removed`);
    if (!ctx.dryRun) await removeAssignmentIn(tx, { actor: ctx.actor, target: target!, assignmentId: a.id, requestId: ctx.requestId });
  }
  for (const { entry, at, connector } of wanted) {
    const fileIndex: number[] = [];
    const operationIds: string[] = [];
    (entry.operations ?? []).forEach((op, j) => {
      if (operationIds.includes(op)) return;
      operationIds.push(op);
      fileIndex.push(j);
    });
    const current = connector ? existing.find((a) => a.connector.id === connector.id) : undefined;
    const name = connector?.name ?? entry.connector;
    if (current && JSON.stringify(current.operationIds) === JSON.stringify(operationIds)) continue;
    fields.push(`${opts.label}connectors[${name}] ${current ? "operations" : "added"}`);
    if (ctx.dryRun || !target || !connector) continue;
    try {
      if (current) {
        await updateAssignmentIn(tx, {
          actor: ctx.actor,
          target,
          assignmentId: current.id,
          input: { operationIds },
          requestId: ctx.requestId,
        });
      } else {
        await assignConnectorIn(tx, {
          actor: ctx.actor,
          target,
          input: { connectorId: connector.id, operationIds },
          requestId: ctx.requestId,
        });
      }
    } catch (e) {
      throw atEntry(e, at, name, fileIndex);
    }
  }
  return fields;
}

type AssignmentRow = { operationIds: string[]; connector: { name: string } };

/** Assignments in the file's shape, by connector name. */
export function exportAssignments(rows: AssignmentRow[]): AssignmentEntry[] {
  return [...rows]
    .sort((a, b) => a.connector.name.localeCompare(b.connector.name))
    .map((r) => ({ connector: r.connector.name, ...(r.operationIds.length ? { operations: r.operationIds } : {}) }));
}

export const assignmentExportSelect = { operationIds: true, connector: { select: { name: true } } } as const;
