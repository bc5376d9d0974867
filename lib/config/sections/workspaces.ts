import { z } from "../../schemas/zod";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { recordAudit } from "../../audit/record";
import { createWorkspaceIn } from "../../workspaces/create-workspace";
import type { ConfigChange, ConfigSection } from "../types";

const item = z.strictObject({
  name: workspaceNameSchema,
  description: z.string().trim().max(500, "Must be at most 500 characters").optional(),
});
type Item = z.infer<typeof item>;

export const workspacesSection: ConfigSection<Item> = {
  key: "workspaces",
  item,
  identity: (w) => w.name.toLowerCase(),
  async apply(items, { tx, actor, requestId, dryRun }) {
    const changes: ConfigChange[] = [];
    for (const w of items) {
      const existing = await tx.workspace.findFirst({ where: { name: { equals: w.name, mode: "insensitive" } } });
      if (!existing) {
        changes.push({ section: "workspaces", name: w.name, action: "create" });
        if (!dryRun) await createWorkspaceIn(tx, { actor, input: { name: w.name, description: w.description ?? "" }, requestId });
        continue;
      }
      // Only fields present in the file are managed; an omitted description is left as it is.
      if (w.description !== undefined && w.description !== existing.description) {
        changes.push({ section: "workspaces", name: w.name, action: "update", fields: ["description"] });
        if (!dryRun) {
          await tx.workspace.update({ where: { id: existing.id }, data: { description: w.description } });
          await recordAudit(tx, {
            actor,
            action: "workspace.update",
            targetType: "workspace",
            targetId: existing.id,
            targetLabel: existing.name,
            workspaceId: existing.id,
            changes: { description: { from: existing.description, to: w.description } },
            requestId,
          });
        }
      } else {
        changes.push({ section: "workspaces", name: w.name, action: "unchanged" });
      }
    }
    return changes;
  },
  async export(tx) {
    const rows = await tx.workspace.findMany({ orderBy: { name: "asc" } });
    return rows.map((w) => ({ name: w.name, ...(w.description ? { description: w.description } : {}) }));
  },
};
