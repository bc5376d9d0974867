import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import type { ToolList } from "../schemas/agents";
import { resolveTarget, type AssignmentTarget } from "./assignments";
import { toolListFor } from "./tool-list";

/** The console's preview: the same list `GET /api/v1/tools` answers for this worker, node or skill. */
export async function previewTools(opts: { actor: Actor; target: AssignmentTarget }): Promise<ToolList> {
  const t = await resolveTarget(opts.actor, opts.target, "integrations.read");
  return toolListFor(db, { type: t.type, id: t.id, name: t.label.replace(" / ", "/"), workspaceId: t.workspaceId });
}
