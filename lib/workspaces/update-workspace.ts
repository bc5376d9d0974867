import { db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { diffFields, recordAudit } from "../audit/record";
import { conflict, notFound } from "../errors";
import type { UpdateWorkspaceInput } from "../schemas/workspaces";
import { toWorkspaceDto } from "./workspace-dto";

export async function updateWorkspace(opts: { actor: Actor; workspaceId: string; input: UpdateWorkspaceInput; requestId?: string }) {
  const { actor, workspaceId, input } = opts;
  await requireWorkspacePermission(actor, workspaceId, "workspace.update");
  try {
    const ws = await db.$transaction(async (tx) => {
      const before = await tx.workspace.findUnique({ where: { id: workspaceId } });
      if (!before) throw notFound("Workspace");
      if (input.name && input.name.toLowerCase() !== before.name.toLowerCase()) {
        const clash = await tx.workspace.findFirst({
          where: { name: { equals: input.name, mode: "insensitive" }, NOT: { id: workspaceId } },
          select: { id: true },
        });
        if (clash) throw conflict("A workspace with this name already exists", "name");
      }
      // registry-neutral: only the name and description change here.
      const after = await tx.workspace.update({ where: { id: workspaceId }, data: input });
      const changes = diffFields(before, after, { fields: ["name", "description"] });
      if (Object.keys(changes).length) {
        await recordAudit(tx, {
          actor,
          action: "workspace.update",
          targetType: "workspace",
          targetId: after.id,
          targetLabel: after.name,
          workspaceId: after.id,
          changes,
          requestId: opts.requestId,
        });
      }
      return after;
    });
    return toWorkspaceDto(ws);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A workspace with this name already exists", "name");
    throw e;
  }
}
