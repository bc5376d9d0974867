import { db } from "../db/client";
import type { Prisma, Tx } from "../db/types";
import { actorId, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, notFound, type FieldProblem } from "../errors";
import type { CreateMcpAssignmentInput, McpAssignmentDto, UpdateMcpAssignmentInput } from "../schemas/agents";
import { resolveTarget, type AssignmentTarget, type ResolvedTarget } from "./assignments";

// An MCP server's tools assigned to a worker, a workflow node or a skill, like a connector's operations: the
// server must belong to the target's workspace (else "not found"); a skill picks at least one tool, workers and
// nodes take every enabled tool unless they pick some; each picked tool must be one the server offers, switched on.

const assignmentSelect = {
  id: true,
  targetType: true,
  workerId: true,
  nodeId: true,
  skillId: true,
  toolNames: true,
  createdAt: true,
  server: { select: { id: true, name: true, status: true } },
} satisfies Prisma.McpToolAssignmentSelect;

function toDto(row: Prisma.McpToolAssignmentGetPayload<{ select: typeof assignmentSelect }>): McpAssignmentDto {
  return {
    id: row.id,
    targetType: row.targetType as McpAssignmentDto["targetType"],
    targetId: (row.workerId ?? row.nodeId ?? row.skillId)!,
    server: row.server,
    toolNames: row.toolNames,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The picked tools, checked against the server's last discovery: each must exist and be enabled. */
async function checkTools(tx: Tx, target: ResolvedTarget, serverId: string, picked: string[]): Promise<string[]> {
  const names = [...new Set(picked)];
  if (target.type === "skill" && !names.length)
    throw new AppError("validation_failed", "A skill picks at least one tool of the MCP server", {
      fields: [{ path: "toolNames", message: "Pick at least one tool" }],
    });
  if (!names.length) return names;
  const tools = new Map(
    (await tx.mcpTool.findMany({ where: { serverId, name: { in: names } }, select: { name: true, enabled: true } })).map((t) => [
      t.name,
      t,
    ]),
  );
  const problems: FieldProblem[] = [];
  names.forEach((name, i) => {
    const tool = tools.get(name);
    if (!tool) problems.push({ path: `toolNames[${i}]`, message: `The MCP server has no tool named ${name}` });
    else if (!tool.enabled) problems.push({ path: `toolNames[${i}]`, message: `Tool ${name} is switched off` });
  });
  if (problems.length) throw new AppError("validation_failed", "Some tools cannot be assigned", { fields: problems });
  return names;
}

export async function listMcpAssignments(opts: {
  actor: Actor;
  target: AssignmentTarget;
}): Promise<{ data: McpAssignmentDto[]; nextCursor: null }> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.read");
  const rows = await db.mcpToolAssignment.findMany({
    where: { ...t.where, workspaceId: t.workspaceId, server: { workspaceId: t.workspaceId } },
    select: assignmentSelect,
    orderBy: [{ server: { name: "asc" } }, { id: "asc" }],
  });
  return { data: rows.map(toDto), nextCursor: null };
}

const alreadyAssigned = () => conflict("This MCP server is already assigned here", "serverId");

/** Assigns an MCP server of the target's workspace inside `tx` (the target is resolved and access checked). */
export async function assignMcpServerIn(
  tx: Tx,
  opts: { actor: Actor; target: ResolvedTarget; input: CreateMcpAssignmentInput; requestId?: string },
): Promise<McpAssignmentDto> {
  const t = opts.target;
  const server = await tx.mcpServer.findFirst({
    where: { id: opts.input.serverId, workspaceId: t.workspaceId },
    select: { id: true, name: true },
  });
  if (!server) throw notFound("MCP server");
  const toolNames = await checkTools(tx, t, server.id, opts.input.toolNames ?? []);
  const clash = await tx.mcpToolAssignment.findFirst({ where: { ...t.where, serverId: server.id }, select: { id: true } });
  if (clash) throw alreadyAssigned();
  // registry-neutral: MCP assignments are not in the gateway's routing snapshot
  const row = await tx.mcpToolAssignment.create({
    data: { workspaceId: t.workspaceId, serverId: server.id, targetType: t.type, ...t.where, toolNames, createdById: actorId(opts.actor) },
    select: assignmentSelect,
  });
  await recordAudit(tx, {
    actor: opts.actor,
    action: `${t.type}.mcp_server.assign`,
    targetType: t.type,
    targetId: t.id,
    targetLabel: `${t.label}: ${server.name}`,
    workspaceId: t.workspaceId,
    changes: { mcpServer: { from: null, to: server.name }, toolNames: { from: null, to: toolNames } },
    requestId: opts.requestId,
  });
  return toDto(row);
}

export async function assignMcpServer(opts: {
  actor: Actor;
  target: AssignmentTarget;
  input: CreateMcpAssignmentInput;
  requestId?: string;
}): Promise<McpAssignmentDto> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.manage");
  try {
    return await db.$transaction((tx) => assignMcpServerIn(tx, { ...opts, target: t }));
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyAssigned();
    throw e;
  }
}

async function findAssignment(tx: Tx, t: ResolvedTarget, assignmentId: string) {
  const row = await tx.mcpToolAssignment.findFirst({
    where: { id: assignmentId, ...t.where, workspaceId: t.workspaceId },
    select: { id: true, toolNames: true, server: { select: { id: true, name: true } } },
  });
  if (!row) throw notFound("Assignment");
  return row;
}

/** Changes which tools of the server are picked, inside `tx`. */
export async function updateMcpAssignmentIn(
  tx: Tx,
  opts: { actor: Actor; target: ResolvedTarget; assignmentId: string; input: UpdateMcpAssignmentInput; requestId?: string },
): Promise<McpAssignmentDto> {
  const t = opts.target;
  const before = await findAssignment(tx, t, opts.assignmentId);
  const toolNames = await checkTools(tx, t, before.server.id, opts.input.toolNames);
  // registry-neutral: MCP assignments are not in the gateway's routing snapshot
  const row = await tx.mcpToolAssignment.update({ where: { id: before.id }, data: { toolNames }, select: assignmentSelect });
  if (JSON.stringify(before.toolNames) !== JSON.stringify(toolNames)) {
    await recordAudit(tx, {
      actor: opts.actor,
      action: `${t.type}.mcp_server.update`,
      targetType: t.type,
      targetId: t.id,
      targetLabel: `${t.label}: ${before.server.name}`,
      workspaceId: t.workspaceId,
      changes: { toolNames: { from: before.toolNames, to: toolNames } },
      requestId: opts.requestId,
    });
  }
  return toDto(row);
}

export async function updateMcpAssignment(opts: {
  actor: Actor;
  target: AssignmentTarget;
  assignmentId: string;
  input: UpdateMcpAssignmentInput;
  requestId?: string;
}): Promise<McpAssignmentDto> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.manage");
  return db.$transaction((tx) => updateMcpAssignmentIn(tx, { ...opts, target: t }));
}

/** Removes an MCP assignment inside `tx`. */
export async function removeMcpAssignmentIn(
  tx: Tx,
  opts: { actor: Actor; target: ResolvedTarget; assignmentId: string; requestId?: string },
): Promise<void> {
  const t = opts.target;
  const row = await findAssignment(tx, t, opts.assignmentId);
  // registry-neutral: MCP assignments are not in the gateway's routing snapshot
  await tx.mcpToolAssignment.delete({ where: { id: row.id } });
  await recordAudit(tx, {
    actor: opts.actor,
    action: `${t.type}.mcp_server.unassign`,
    targetType: t.type,
    targetId: t.id,
    targetLabel: `${t.label}: ${row.server.name}`,
    workspaceId: t.workspaceId,
    changes: { mcpServer: { from: row.server.name, to: null }, toolNames: { from: row.toolNames, to: null } },
    requestId: opts.requestId,
  });
}

export async function removeMcpAssignment(opts: {
  actor: Actor;
  target: AssignmentTarget;
  assignmentId: string;
  requestId?: string;
}): Promise<void> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.manage");
  await db.$transaction((tx) => removeMcpAssignmentIn(tx, { ...opts, target: t }));
}
