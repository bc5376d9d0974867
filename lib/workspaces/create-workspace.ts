import { db } from "../db/client";
import type { Tx } from "../db/types";
import { isUniqueViolation } from "../db/errors";
import { requireInstancePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { conflict } from "../errors";
import type { CreateWorkspaceInput } from "../schemas/workspaces";
import { slugify } from "./slug";
import { toWorkspaceDto } from "./workspace-dto";

async function uniqueSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await tx.workspace.findUnique({ where: { slug }, select: { id: true } }))) return slug;
  }
}

/** Creates a workspace inside `tx`; the creating user (if a person) becomes its Admin. */
export async function createWorkspaceIn(tx: Tx, opts: { actor: Actor; input: CreateWorkspaceInput; requestId?: string }) {
  const { actor, input } = opts;
  const existing = await tx.workspace.findFirst({ where: { name: { equals: input.name, mode: "insensitive" } }, select: { id: true } });
  if (existing) throw conflict("A workspace with this name already exists", "name");
  // registry-neutral: a new workspace has no keys, no budget and stores no bodies.
  const ws = await tx.workspace.create({
    data: { name: input.name, description: input.description ?? "", slug: await uniqueSlug(tx, input.name) },
  });
  if (actor.type === "user") {
    await tx.membership.create({ data: { workspaceId: ws.id, userId: actor.id, role: "ADMIN" } });
  }
  await recordAudit(tx, {
    actor,
    action: "workspace.create",
    targetType: "workspace",
    targetId: ws.id,
    targetLabel: ws.name,
    workspaceId: ws.id,
    changes: { name: { from: null, to: ws.name }, description: { from: null, to: ws.description } },
    requestId: opts.requestId,
  });
  return ws;
}

export async function createWorkspace(opts: { actor: Actor; input: CreateWorkspaceInput; requestId?: string }) {
  requireInstancePermission(opts.actor, "workspaces.create");
  try {
    const ws = await db.$transaction((tx) => createWorkspaceIn(tx, opts));
    return toWorkspaceDto(ws, "ADMIN");
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A workspace with this name already exists", "name");
    throw e;
  }
}
