import { db } from "../db/client";
import type { Prisma, Tx } from "../db/types";
import { actorId, type Actor } from "../auth/actor";
import type { RoleName } from "../schemas/workspaces";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, forbidden, notFound, type FieldProblem } from "../errors";
import type { AssignmentDto, CreateAssignmentInput, UpdateAssignmentInput } from "../schemas/agents";
import type { Permission } from "../auth/permissions";
import { requireAgentAccess, requireNodeAccess } from "./access";
import { connectorOperations } from "./connector-operations";

// A connector assigned to a worker, a workflow node or a skill. The connector must belong to the target's
// workspace (else "not found": nothing ever falls back to another workspace's connector); a connector that is
// not public can be assigned only by its creator or an Admin; a skill picks at least one operation, workers
// and nodes take every enabled operation unless they pick some.

export type AssignmentTarget =
  { type: "worker"; workerId: string } | { type: "node"; workflowId: string; nodeId: string } | { type: "skill"; skillId: string };

export interface ResolvedTarget {
  type: "worker" | "node" | "skill";
  id: string;
  label: string;
  workspaceId: string;
  role: RoleName;
  where: { workerId: string } | { nodeId: string } | { skillId: string };
}

export async function resolveTarget(actor: Actor, target: AssignmentTarget, permission: Permission): Promise<ResolvedTarget> {
  if (target.type === "node") {
    const { node, workspaceId, role } = await requireNodeAccess(actor, target.workflowId, target.nodeId, permission);
    return { type: "node", id: node.id, label: `${node.workflow.name} / ${node.name}`, workspaceId, role, where: { nodeId: node.id } };
  }
  const kind = target.type;
  const { row, role } = await requireAgentAccess(actor, kind, kind === "worker" ? target.workerId : target.skillId, permission);
  const where = kind === "worker" ? { workerId: row.id } : { skillId: row.id };
  return { type: kind, id: row.id, label: row.name, workspaceId: row.workspaceId, role, where };
}

const assignmentSelect = {
  id: true,
  targetType: true,
  workerId: true,
  nodeId: true,
  skillId: true,
  operationIds: true,
  createdAt: true,
  connector: { select: { id: true, name: true, providerId: true, public: true, status: true } },
} satisfies Prisma.ConnectorAssignmentSelect;

function toDto(row: Prisma.ConnectorAssignmentGetPayload<{ select: typeof assignmentSelect }>): AssignmentDto {
  return {
    id: row.id,
    targetType: row.targetType as AssignmentDto["targetType"],
    targetId: (row.workerId ?? row.nodeId ?? row.skillId)!,
    connector: row.connector,
    operationIds: row.operationIds,
    createdAt: row.createdAt.toISOString(),
  };
}

const connectorSelect = {
  id: true,
  name: true,
  public: true,
  createdById: true,
  providerId: true,
  pinnedVersionId: true,
  provider: { select: { currentVersionId: true } },
} satisfies Prisma.ConnectorSelect;
type ConnectorRow = Prisma.ConnectorGetPayload<{ select: typeof connectorSelect }>;

function assertMayAssign(actor: Actor, target: ResolvedTarget, connector: ConnectorRow) {
  if (connector.public || target.role === "ADMIN" || (connector.createdById !== null && connector.createdById === actorId(actor))) return;
  throw forbidden("This connector is not public: only its creator or an Admin can assign it");
}

/** The picked operations, checked against the connector's provider: each must exist and be enabled. */
async function checkOperations(tx: Tx, target: ResolvedTarget, connector: ConnectorRow, picked: string[]): Promise<string[]> {
  const ids = [...new Set(picked)];
  if (target.type === "skill" && !ids.length)
    throw new AppError("validation_failed", "A skill picks at least one operation of the connector", {
      fields: [{ path: "operationIds", message: "Pick at least one operation" }],
    });
  if (!ids.length) return ids;
  const ops = new Map((await connectorOperations(tx, connector)).map((o) => [o.operationId, o]));
  const problems: FieldProblem[] = [];
  ids.forEach((id, i) => {
    const op = ops.get(id);
    if (!op) problems.push({ path: `operationIds[${i}]`, message: `The connector's provider has no operation ${id}` });
    else if (!op.enabled) problems.push({ path: `operationIds[${i}]`, message: `Operation ${id} is switched off as a tool` });
  });
  if (problems.length) throw new AppError("validation_failed", "Some operations cannot be assigned", { fields: problems });
  return ids;
}

export async function listAssignments(opts: {
  actor: Actor;
  target: AssignmentTarget;
}): Promise<{ data: AssignmentDto[]; nextCursor: null }> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.read");
  const rows = await db.connectorAssignment.findMany({
    where: { ...t.where, workspaceId: t.workspaceId, connector: { workspaceId: t.workspaceId } },
    select: assignmentSelect,
    orderBy: [{ connector: { name: "asc" } }, { id: "asc" }],
  });
  return { data: rows.map(toDto), nextCursor: null };
}

const alreadyAssigned = () => conflict("This connector is already assigned here", "connectorId");

/** Assigns a connector of the target's workspace inside `tx` (the target is resolved and access checked). */
export async function assignConnectorIn(
  tx: Tx,
  opts: { actor: Actor; target: ResolvedTarget; input: CreateAssignmentInput; requestId?: string },
): Promise<AssignmentDto> {
  const t = opts.target;
  const connector = await tx.connector.findFirst({
    where: { id: opts.input.connectorId, workspaceId: t.workspaceId },
    select: connectorSelect,
  });
  if (!connector) throw notFound("Connector");
  assertMayAssign(opts.actor, t, connector);
  const operationIds = await checkOperations(tx, t, connector, opts.input.operationIds ?? []);
  const clash = await tx.connectorAssignment.findFirst({ where: { ...t.where, connectorId: connector.id }, select: { id: true } });
  if (clash) throw alreadyAssigned();
  // registry-neutral: connector assignments are not in the gateway's routing snapshot
  const row = await tx.connectorAssignment.create({
    data: {
      workspaceId: t.workspaceId,
      connectorId: connector.id,
      targetType: t.type,
      ...t.where,
      operationIds,
      createdById: actorId(opts.actor),
    },
    select: assignmentSelect,
  });
  await recordAudit(tx, {
    actor: opts.actor,
    action: `${t.type}.connector.assign`,
    targetType: t.type,
    targetId: t.id,
    targetLabel: `${t.label}: ${connector.name}`,
    workspaceId: t.workspaceId,
    changes: { connector: { from: null, to: connector.name }, operationIds: { from: null, to: operationIds } },
    requestId: opts.requestId,
  });
  return toDto(row);
}

export async function assignConnector(opts: {
  actor: Actor;
  target: AssignmentTarget;
  input: CreateAssignmentInput;
  requestId?: string;
}): Promise<AssignmentDto> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.manage");
  try {
    return await db.$transaction((tx) => assignConnectorIn(tx, { ...opts, target: t }));
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyAssigned();
    throw e;
  }
}

async function findAssignment(tx: Tx, t: ResolvedTarget, assignmentId: string) {
  const row = await tx.connectorAssignment.findFirst({
    where: { id: assignmentId, ...t.where, workspaceId: t.workspaceId },
    select: { id: true, operationIds: true, connector: { select: connectorSelect } },
  });
  if (!row) throw notFound("Assignment");
  return row;
}

/** Changes which operations of the connector are picked, inside `tx`. */
export async function updateAssignmentIn(
  tx: Tx,
  opts: { actor: Actor; target: ResolvedTarget; assignmentId: string; input: UpdateAssignmentInput; requestId?: string },
): Promise<AssignmentDto> {
  const t = opts.target;
  const before = await findAssignment(tx, t, opts.assignmentId);
  assertMayAssign(opts.actor, t, before.connector);
  const operationIds = await checkOperations(tx, t, before.connector, opts.input.operationIds);
  // registry-neutral: connector assignments are not in the gateway's routing snapshot
  const row = await tx.connectorAssignment.update({ where: { id: before.id }, data: { operationIds }, select: assignmentSelect });
  if (JSON.stringify(before.operationIds) !== JSON.stringify(operationIds)) {
    await recordAudit(tx, {
      actor: opts.actor,
      action: `${t.type}.connector.update`,
      targetType: t.type,
      targetId: t.id,
      targetLabel: `${t.label}: ${before.connector.name}`,
      workspaceId: t.workspaceId,
      changes: { operationIds: { from: before.operationIds, to: operationIds } },
      requestId: opts.requestId,
    });
  }
  return toDto(row);
}

/** Changes which operations of the connector are picked. */
export async function updateAssignment(opts: {
  actor: Actor;
  target: AssignmentTarget;
  assignmentId: string;
  input: UpdateAssignmentInput;
  requestId?: string;
}): Promise<AssignmentDto> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.manage");
  return db.$transaction((tx) => updateAssignmentIn(tx, { ...opts, target: t }));
}

/** Removes an assignment inside `tx`. */
export async function removeAssignmentIn(
  tx: Tx,
  opts: { actor: Actor; target: ResolvedTarget; assignmentId: string; requestId?: string },
): Promise<void> {
  const t = opts.target;
  const row = await findAssignment(tx, t, opts.assignmentId);
  // registry-neutral: connector assignments are not in the gateway's routing snapshot
  await tx.connectorAssignment.delete({ where: { id: row.id } });
  await recordAudit(tx, {
    actor: opts.actor,
    action: `${t.type}.connector.unassign`,
    targetType: t.type,
    targetId: t.id,
    targetLabel: `${t.label}: ${row.connector.name}`,
    workspaceId: t.workspaceId,
    changes: { connector: { from: row.connector.name, to: null }, operationIds: { from: row.operationIds, to: null } },
    requestId: opts.requestId,
  });
}

export async function removeAssignment(opts: {
  actor: Actor;
  target: AssignmentTarget;
  assignmentId: string;
  requestId?: string;
}): Promise<void> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.manage");
  await db.$transaction((tx) => removeAssignmentIn(tx, { ...opts, target: t }));
}
