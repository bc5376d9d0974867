import type { Tx } from "../db/types";
import type { AgentDto, AgentKind, NodeDto } from "../schemas/agents";
import type { DeliveryDto } from "../schemas/webhook-delivery";
import { deliveryDtos } from "../webhooks/target-delivery";

// Workers, workflows and skills share one shape (a named, described thing of a workspace that connectors are
// assigned to), so their list, create, rename and delete code is one; only the Prisma table differs.

export const agentSelect = {
  id: true,
  workspaceId: true,
  name: true,
  description: true,
  source: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface AgentRow {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

type Where = Record<string, unknown>;

/** The part of Prisma's Worker, Workflow and Skill delegates these modules use (identical on all three). */
export interface AgentTable {
  findFirst(args: { where: Where; select: typeof agentSelect }): Promise<AgentRow | null>;
  findMany(args: {
    where: Where;
    select: typeof agentSelect;
    orderBy: Where[];
    take: number;
    cursor?: { id: string };
    skip?: number;
  }): Promise<AgentRow[]>;
  create(args: { data: Where; select: typeof agentSelect }): Promise<AgentRow>;
  update(args: { where: { id: string; workspaceId: string }; data: Where; select: typeof agentSelect }): Promise<AgentRow>;
  delete(args: { where: { id: string; workspaceId: string } }): Promise<unknown>;
}

export function agentTable(tx: Tx, kind: AgentKind): AgentTable {
  const table = kind === "worker" ? tx.worker : kind === "workflow" ? tx.workflow : tx.skill;
  return table as unknown as AgentTable;
}

export const KIND_LABEL: Record<AgentKind, string> = { worker: "Worker", workflow: "Workflow", skill: "Skill" };

export function toAgentDto(
  kind: AgentKind,
  row: AgentRow,
  extra: { connectorCount: number; nodes?: NodeDto[]; delivery?: DeliveryDto; deliverySecret?: string | null },
): AgentDto {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    kind,
    name: row.name,
    description: row.description,
    source: row.source,
    connectorCount: extra.connectorCount,
    ...(extra.nodes ? { nodes: extra.nodes } : {}),
    ...(extra.delivery ? { delivery: extra.delivery } : {}),
    ...(extra.deliverySecret ? { deliverySecret: extra.deliverySecret } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Connectors assigned per agent (a workflow counts its nodes' assignments). */
export async function connectorCounts(tx: Tx, kind: AgentKind, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  if (kind === "workflow") {
    const rows = await tx.connectorAssignment.findMany({
      where: { node: { workflowId: { in: ids } } },
      select: { node: { select: { workflowId: true } } },
    });
    for (const r of rows) if (r.node) out.set(r.node.workflowId, (out.get(r.node.workflowId) ?? 0) + 1);
    return out;
  }
  const field = kind === "worker" ? "workerId" : "skillId";
  const rows = await tx.connectorAssignment.groupBy({ by: [field], where: { [field]: { in: ids } }, _count: { _all: true } });
  for (const r of rows) {
    const id = (r as Record<string, unknown>)[field];
    if (typeof id === "string") out.set(id, r._count._all);
  }
  return out;
}

export async function nodesOf(tx: Tx, workflowId: string): Promise<NodeDto[]> {
  const rows = await tx.workflowNode.findMany({
    where: { workflowId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      workflowId: true,
      name: true,
      position: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { assignments: true } },
    },
  });
  return rows.map((n) => ({
    id: n.id,
    workflowId: n.workflowId,
    name: n.name,
    position: n.position,
    connectorCount: n._count.assignments,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  }));
}

/** Workers' and workflows' webhook delivery settings by id (skills have none). */
export async function deliveryFor(tx: Tx, kind: AgentKind, ids: string[]): Promise<Map<string, DeliveryDto>> {
  if (kind === "skill" || !ids.length) return new Map();
  const select = { id: true, workspaceId: true, deliveryUrl: true, deliveryInternal: true, deliverySecretId: true } as const;
  const where = { id: { in: ids } };
  const rows = kind === "worker" ? await tx.worker.findMany({ where, select }) : await tx.workflow.findMany({ where, select });
  return deliveryDtos(tx, rows);
}
