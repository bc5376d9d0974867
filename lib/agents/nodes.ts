import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { conflict, notFound } from "../errors";
import type { CreateNodeInput, NodeDto, UpdateNodeInput } from "../schemas/agents";
import { requireAgentAccess, requireNodeAccess } from "./access";
import { nodesOf } from "./agent-table";

// A workflow's nodes keep positions 0..n-1 in order: adding, moving and deleting renumber the others in the
// same transaction, so the order a client sees is always a plain list.

const nodeNameTaken = () => conflict("A node with this name already exists in this workflow", "name");

async function assertFreeName(tx: Tx, workflowId: string, name: string, exceptId?: string) {
  const clash = await tx.workflowNode.findFirst({
    where: { workflowId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw nodeNameTaken();
}

/** Writes positions 0..n-1 for the ids in this order (only rows whose position changes). */
async function renumber(tx: Tx, workflowId: string, ordered: { id: string; position: number }[]) {
  for (const [i, n] of ordered.entries()) {
    // registry-neutral: workflow nodes are not in the gateway's routing snapshot
    if (n.position !== i) await tx.workflowNode.update({ where: { id: n.id, workflowId }, data: { position: i } });
  }
}

const ordered = (tx: Tx, workflowId: string) =>
  tx.workflowNode.findMany({
    where: { workflowId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, position: true },
  });

/** The workflow a node write belongs to (access already checked by the caller). */
export interface WorkflowRef {
  id: string;
  name: string;
  workspaceId: string;
}

/** Adds a node inside `tx` at the given place (the end when left out); the nodes after it move down. */
export async function createNodeIn(
  tx: Tx,
  opts: { actor: Actor; workflow: WorkflowRef; input: CreateNodeInput; requestId?: string },
): Promise<NodeDto> {
  const wf = opts.workflow;
  await assertFreeName(tx, wf.id, opts.input.name);
  const nodes = await ordered(tx, wf.id);
  const at = Math.min(opts.input.position ?? nodes.length, nodes.length);
  // registry-neutral: workflow nodes are not in the gateway's routing snapshot
  const node = await tx.workflowNode.create({ data: { workflowId: wf.id, name: opts.input.name, position: at }, select: { id: true } });
  const order = [...nodes];
  order.splice(at, 0, { id: node.id, position: at });
  await renumber(tx, wf.id, order);
  await recordAudit(tx, {
    actor: opts.actor,
    action: "workflow.node.create",
    targetType: "workflow",
    targetId: wf.id,
    targetLabel: `${wf.name} / ${opts.input.name}`,
    workspaceId: wf.workspaceId,
    changes: { node: { from: null, to: opts.input.name }, position: { from: null, to: at } },
    requestId: opts.requestId,
  });
  return (await nodesOf(tx, wf.id)).find((n) => n.id === node.id)!;
}

export async function createNode(opts: { actor: Actor; workflowId: string; input: CreateNodeInput; requestId?: string }): Promise<NodeDto> {
  const { row: wf } = await requireAgentAccess(opts.actor, "workflow", opts.workflowId, "integrations.manage");
  try {
    return await db.$transaction((tx) => createNodeIn(tx, { ...opts, workflow: wf }));
  } catch (e) {
    if (isUniqueViolation(e)) throw nodeNameTaken();
    throw e;
  }
}

/** Renames a node or moves it inside `tx`. */
export async function updateNodeIn(
  tx: Tx,
  opts: { actor: Actor; workflow: WorkflowRef; nodeId: string; input: UpdateNodeInput; requestId?: string },
): Promise<NodeDto> {
  const workflowId = opts.workflow.id;
  const before = await tx.workflowNode.findFirst({
    where: { id: opts.nodeId, workflowId },
    select: { id: true, name: true, position: true },
  });
  if (!before) throw notFound("Node");
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (opts.input.name !== undefined && opts.input.name !== before.name) {
    if (opts.input.name.toLowerCase() !== before.name.toLowerCase()) await assertFreeName(tx, workflowId, opts.input.name, before.id);
    // registry-neutral: workflow nodes are not in the gateway's routing snapshot
    await tx.workflowNode.update({ where: { id: before.id, workflowId }, data: { name: opts.input.name } });
    changes.name = { from: before.name, to: opts.input.name };
  }
  if (opts.input.position !== undefined) {
    const nodes = await ordered(tx, workflowId);
    const from = nodes.findIndex((n) => n.id === before.id);
    const to = Math.min(opts.input.position, nodes.length - 1);
    if (from !== to) {
      const [moved] = nodes.splice(from, 1);
      nodes.splice(to, 0, moved);
      await renumber(tx, workflowId, nodes);
      changes.position = { from, to };
    }
  }
  if (Object.keys(changes).length) {
    await recordAudit(tx, {
      actor: opts.actor,
      action: "workflow.node.update",
      targetType: "workflow",
      targetId: workflowId,
      targetLabel: `${opts.workflow.name} / ${opts.input.name ?? before.name}`,
      workspaceId: opts.workflow.workspaceId,
      changes,
      requestId: opts.requestId,
    });
  }
  return (await nodesOf(tx, workflowId)).find((n) => n.id === before.id)!;
}

/** Renames a node or moves it to another place in the workflow. */
export async function updateNode(opts: {
  actor: Actor;
  workflowId: string;
  nodeId: string;
  input: UpdateNodeInput;
  requestId?: string;
}): Promise<NodeDto> {
  const { node, workspaceId } = await requireNodeAccess(opts.actor, opts.workflowId, opts.nodeId, "integrations.manage");
  try {
    return await db.$transaction((tx) => updateNodeIn(tx, { ...opts, nodeId: node.id, workflow: { ...node.workflow, workspaceId } }));
  } catch (e) {
    if (isUniqueViolation(e)) throw nodeNameTaken();
    throw e;
  }
}

/** Deletes a node with its connector assignments inside `tx`; the nodes after it move up. */
export async function deleteNodeIn(
  tx: Tx,
  opts: { actor: Actor; workflow: WorkflowRef; nodeId: string; requestId?: string },
): Promise<void> {
  const workflowId = opts.workflow.id;
  const row = await tx.workflowNode.findFirst({
    where: { id: opts.nodeId, workflowId },
    select: { id: true, name: true, _count: { select: { assignments: true } } },
  });
  if (!row) throw notFound("Node");
  // registry-neutral: workflow nodes are not in the gateway's routing snapshot
  await tx.workflowNode.delete({ where: { id: row.id, workflowId } });
  await renumber(tx, workflowId, await ordered(tx, workflowId));
  await recordAudit(tx, {
    actor: opts.actor,
    action: "workflow.node.delete",
    targetType: "workflow",
    targetId: workflowId,
    targetLabel: `${opts.workflow.name} / ${row.name}`,
    workspaceId: opts.workflow.workspaceId,
    changes: { node: { from: row.name, to: null }, connectors: { from: row._count.assignments, to: null } },
    requestId: opts.requestId,
  });
}

/** Deletes a node with its connector assignments; the nodes after it move up. */
export async function deleteNode(opts: { actor: Actor; workflowId: string; nodeId: string; requestId?: string }): Promise<void> {
  const { node, workspaceId } = await requireNodeAccess(opts.actor, opts.workflowId, opts.nodeId, "integrations.manage");
  await db.$transaction((tx) => deleteNodeIn(tx, { ...opts, nodeId: node.id, workflow: { ...node.workflow, workspaceId } }));
}

/** A workflow's nodes in order. */
export async function listNodes(opts: { actor: Actor; workflowId: string }): Promise<{ data: NodeDto[]; nextCursor: null }> {
  const { row } = await requireAgentAccess(opts.actor, "workflow", opts.workflowId, "integrations.read");
  return { data: await nodesOf(db, row.id), nextCursor: null };
}
