import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import type { AgentKind } from "../schemas/agents";
import { requireAgentAccess } from "./access";
import { releaseDeliverySecretIn } from "../webhooks/target-delivery";
import { agentSelect, agentTable, connectorCounts, KIND_LABEL } from "./agent-table";

/** Deletes a worker, workflow (with its nodes) or skill; its connector assignments go with it. */
export async function deleteAgent(opts: { actor: Actor; kind: AgentKind; id: string; requestId?: string }): Promise<void> {
  const { actor, kind } = opts;
  const { row: found } = await requireAgentAccess(actor, kind, opts.id, "integrations.manage");
  const workspaceId = found.workspaceId;
  await db.$transaction(async (tx) => {
    const row = await agentTable(tx, kind).findFirst({ where: { id: found.id, workspaceId }, select: agentSelect });
    if (!row) throw notFound(KIND_LABEL[kind]);
    const assignments = (await connectorCounts(tx, kind, [row.id])).get(row.id) ?? 0;
    const nodes = kind === "workflow" ? await tx.workflowNode.count({ where: { workflowId: row.id } }) : null;
    if (kind !== "skill") await releaseDeliverySecretIn(tx, { actor, kind, id: row.id, workspaceId, requestId: opts.requestId });
    // registry-neutral: workers, workflows and skills are not in the gateway's routing snapshot
    await agentTable(tx, kind).delete({ where: { id: row.id, workspaceId } });
    await recordAudit(tx, {
      actor,
      action: `${kind}.delete`,
      targetType: kind,
      targetId: row.id,
      targetLabel: row.name,
      workspaceId,
      changes: {
        name: { from: row.name, to: null },
        connectors: { from: assignments, to: null },
        ...(nodes !== null ? { nodes: { from: nodes, to: null } } : {}),
      },
      requestId: opts.requestId,
    });
  });
}
