import { db } from "../db/client";
import { notFound } from "../errors";

export type TargetType = "worker" | "workflow";

export interface QueueTarget {
  type: TargetType;
  id: string;
  name: string;
}

/** A worker or workflow of the workspace by id or name (any case); another workspace's is "not found". */
export async function findQueueTarget(workspaceId: string, type: TargetType, ref: string): Promise<QueueTarget> {
  const where = { workspaceId, OR: [{ id: ref }, { name: { equals: ref, mode: "insensitive" as const } }] };
  const select = { id: true, name: true };
  const rows =
    type === "worker" ? await db.worker.findMany({ where, select, take: 2 }) : await db.workflow.findMany({ where, select, take: 2 });
  // An id wins over a name that happens to equal another row's id.
  const row = rows.find((r) => r.id === ref) ?? rows[0];
  if (!row) throw notFound(type === "worker" ? "Worker" : "Workflow");
  return { type, id: row.id, name: row.name };
}
