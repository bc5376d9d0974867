import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { notFound } from "../errors";
import { registryWrite } from "../gateway/registry-write";
import type { WorkspaceLoggingDto, WorkspaceLoggingInput } from "../schemas/workspace-logging";

const select = { id: true, name: true, storeBodies: true, bodyRetentionDays: true } as const;
const toDto = (w: { id: string; storeBodies: boolean; bodyRetentionDays: number }): WorkspaceLoggingDto => ({
  workspaceId: w.id,
  storeBodies: w.storeBodies,
  bodyRetentionDays: w.bodyRetentionDays,
});

export async function getLoggingSettings(opts: { actor: Actor; workspaceId: string }): Promise<WorkspaceLoggingDto> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "usage.read");
  const w = await db.workspace.findUnique({ where: { id: opts.workspaceId }, select });
  if (!w) throw notFound("Workspace");
  return toDto(w);
}

/** Admins only. Turning storage on or off moves the gateway version, so every instance's snapshot follows. */
export async function updateLoggingSettings(opts: {
  actor: Actor;
  workspaceId: string;
  input: WorkspaceLoggingInput;
  requestId?: string;
}): Promise<WorkspaceLoggingDto> {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "workspace.update");
  return registryWrite(db, async (tx) => {
    const before = await tx.workspace.findUnique({ where: { id: opts.workspaceId }, select });
    if (!before) throw notFound("Workspace");
    const after = await tx.workspace.update({ where: { id: before.id }, data: opts.input, select });
    const changes = diffFields(before, after, { fields: ["storeBodies", "bodyRetentionDays"] });
    const audit = {
      actor: opts.actor,
      action: "workspace.logging.update",
      targetType: "workspace",
      targetId: after.id,
      targetLabel: after.name,
      workspaceId: after.id,
      changes,
      requestId: opts.requestId,
    };
    // Only storage on or off is in the snapshot; the retention is read by the pruning job.
    return { result: toDto(after), audit: Object.keys(changes).length ? audit : null, snapshot: before.storeBodies !== after.storeBodies };
  });
}
