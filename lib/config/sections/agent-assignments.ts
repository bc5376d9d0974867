import { z } from "../../schemas/zod";
import { connectorNameSchema } from "../../schemas/connectors";
import type { Tx } from "../../db/types";
import type { Actor } from "../../auth/actor";
import { AppError, isAppError } from "../../errors";
import { assignConnectorIn, removeAssignmentIn, updateAssignmentIn, type ResolvedTarget } from "../../agents/assignments";
import { assignMcpServerIn, removeMcpAssignmentIn, updateMcpAssignmentIn } from "../../agents/mcp-assignments";
import { mcpServerNameSchema } from "../../schemas/mcp";

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

// ---- `mcpServers: [{ server, tools? }]`: MCP servers of the same workspace by name, and the tools picked by name
// (none: every enabled tool; a skill must pick). Present, the list is the target's whole set of MCP assignments;
// left out, they are left alone.

export const mcpAssignmentListSchema = z
  .array(
    z.strictObject({
      server: mcpServerNameSchema,
      tools: z.array(z.string().trim().min(1, "Required").max(256, "Must be at most 256 characters")).max(1000).optional(),
    }),
  )
  .max(200, "At most 200 MCP servers")
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((a, i) => {
      const first = seen.get(a.server.toLowerCase());
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "server"], message: `Duplicate of mcpServers[${first}]` });
      else seen.set(a.server.toLowerCase(), i);
    });
  });
export type McpAssignmentEntry = z.infer<typeof mcpAssignmentListSchema>[number];

/** A domain error about one entry at its place in the file: `toolNames[j]` becomes the entry's `tools[...]`. */
function atMcpEntry(e: unknown, at: string, server: string, fileIndex: number[]): unknown {
  if (!isAppError(e)) return e;
  const where = (p: string) => {
    const m = /^toolNames(?:\[(\d+)\])?(.*)$/.exec(p);
    if (m) return `${at}.tools${m[1] !== undefined ? `[${fileIndex[Number(m[1])] ?? m[1]}]` : ""}${m[2]}`;
    return p === "serverId" ? `${at}.server` : `${at}.${p}`;
  };
  const fields = e.fields?.length
    ? e.fields.map((f) => ({ path: where(f.path), message: `MCP server ${server}: ${f.message}` }))
    : [{ path: at, message: `MCP server ${server}: ${e.message}` }];
  return new AppError(e.code, `${at}: ${fields[0].message}`, { fields });
}

/** Makes the target's MCP assignments those of the file (same checks and audit as the console). */
export async function reconcileMcpAssignments(
  ctx: ReconcileContext,
  opts: {
    target: ResolvedTarget | null;
    workspaceId: string;
    workspaceName: string;
    entries: McpAssignmentEntry[];
    path: string;
    label: string;
  },
): Promise<string[]> {
  const { tx } = ctx;
  const { target } = opts;
  const wanted: { entry: McpAssignmentEntry; at: string; server: { id: string; name: string } | null }[] = [];
  for (const [k, entry] of opts.entries.entries()) {
    const at = `${opts.path}[${k}]`;
    const server = await tx.mcpServer.findFirst({
      where: { workspaceId: opts.workspaceId, name: { equals: entry.server, mode: "insensitive" } },
      select: { id: true, name: true },
    });
    // In a dry run, a server the same file registers does not exist yet.
    if (!server && !ctx.dryRun)
      throw new AppError("validation_failed", `${at}.server: no MCP server named ${entry.server} in workspace ${opts.workspaceName}`, {
        fields: [{ path: `${at}.server`, message: `No MCP server named ${entry.server} in workspace ${opts.workspaceName}` }],
      });
    wanted.push({ entry, at, server });
  }
  const existing = target
    ? await tx.mcpToolAssignment.findMany({
        where: { ...target.where, workspaceId: target.workspaceId },
        select: { id: true, toolNames: true, server: { select: { id: true, name: true } } },
      })
    : [];
  const fields: string[] = [];
  const keep = new Set(wanted.map((w) => w.server?.id));
  for (const a of existing) {
    if (keep.has(a.server.id)) continue;
    fields.push(`${opts.label}mcpServers[${a.server.name}] removed`);
    if (!ctx.dryRun) await removeMcpAssignmentIn(tx, { actor: ctx.actor, target: target!, assignmentId: a.id, requestId: ctx.requestId });
  }
  for (const { entry, at, server } of wanted) {
    const fileIndex: number[] = [];
    const toolNames: string[] = [];
    (entry.tools ?? []).forEach((t, j) => {
      if (toolNames.includes(t)) return;
      toolNames.push(t);
      fileIndex.push(j);
    });
    const current = server ? existing.find((a) => a.server.id === server.id) : undefined;
    const name = server?.name ?? entry.server;
    if (current && JSON.stringify(current.toolNames) === JSON.stringify(toolNames)) continue;
    fields.push(`${opts.label}mcpServers[${name}] ${current ? "tools" : "added"}`);
    if (ctx.dryRun || !target || !server) continue;
    try {
      if (current) {
        await updateMcpAssignmentIn(tx, {
          actor: ctx.actor,
          target,
          assignmentId: current.id,
          input: { toolNames },
          requestId: ctx.requestId,
        });
      } else {
        await assignMcpServerIn(tx, { actor: ctx.actor, target, input: { serverId: server.id, toolNames }, requestId: ctx.requestId });
      }
    } catch (e) {
      throw atMcpEntry(e, at, name, fileIndex);
    }
  }
  return fields;
}

type McpAssignmentRow = { toolNames: string[]; server: { name: string } };

/** MCP assignments in the file's shape, by server name; undefined when there are none (the key is left out). */
export function exportMcpAssignments(rows: McpAssignmentRow[]): McpAssignmentEntry[] | undefined {
  if (!rows.length) return undefined;
  return [...rows]
    .sort((a, b) => a.server.name.localeCompare(b.server.name))
    .map((r) => ({ server: r.server.name, ...(r.toolNames.length ? { tools: r.toolNames } : {}) }));
}

export const mcpAssignmentExportSelect = { toolNames: true, server: { select: { name: true } } } as const;
