import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { AgentDto, AgentKind } from "../schemas/agents";
import { requireAgentAccess } from "./access";
import { agentSelect, agentTable, connectorCounts, deliveryFor, KIND_LABEL, nodesOf, toAgentDto } from "./agent-table";

export async function getAgentIn(tx: Tx, kind: AgentKind, id: string, workspaceId: string): Promise<AgentDto> {
  const row = await agentTable(tx, kind).findFirst({ where: { id, workspaceId }, select: agentSelect });
  if (!row) throw notFound(KIND_LABEL[kind]);
  const counts = await connectorCounts(tx, kind, [row.id]);
  const delivery = await deliveryFor(tx, kind, [row.id]);
  return toAgentDto(kind, row, {
    connectorCount: counts.get(row.id) ?? 0,
    delivery: delivery.get(row.id),
    ...(kind === "workflow" ? { nodes: await nodesOf(tx, row.id) } : {}),
  });
}

/** A worker, workflow (with its nodes in order) or skill. */
export async function getAgent(opts: { actor: Actor; kind: AgentKind; id: string }): Promise<AgentDto> {
  const { row } = await requireAgentAccess(opts.actor, opts.kind, opts.id, "integrations.read");
  return getAgentIn(db, opts.kind, row.id, row.workspaceId);
}
