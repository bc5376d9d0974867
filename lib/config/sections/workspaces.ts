import { z, textSchema } from "../../schemas/zod";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { recordAudit } from "../../audit/record";
import { createWorkspaceIn } from "../../workspaces/create-workspace";
import type { ConfigChange, ConfigSection } from "../types";
import { configKeySchema } from "../../schemas/virtual-keys";
import { applyConfigKeys, exportConfigKeys } from "../../virtual-keys/config-keys";
import { configBudgetSchema } from "../../schemas/budgets";
import { applyConfigBudgets, exportConfigBudget } from "../../budgets/config-budget";
import { usageRetentionDaysSchema } from "../../schemas/usage";
import { setUsageRetentionIn } from "../../usage/retention";

const item = z.strictObject({
  name: workspaceNameSchema,
  description: textSchema({ max: 500, multiline: true }).optional(),
  // Days raw usage records are kept (rollups are kept regardless); omitted: left as it is (new: 90).
  usageRetentionDays: usageRetentionDaysSchema.optional(),
  // Listed keys are all the workspace's config-sourced keys (see lib/virtual-keys/config-keys.ts).
  keys: z
    .array(configKeySchema)
    .max(500, "At most 500 keys per workspace")
    .superRefine((keys, ctx) => {
      const seen = new Map<string, number>();
      keys.forEach((k, i) => {
        const first = seen.get(k.name.toLowerCase());
        if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "name"], message: `Duplicate of keys[${first}]` });
        else seen.set(k.name.toLowerCase(), i);
      });
    })
    .optional(),
  budget: configBudgetSchema.optional(),
});
type Item = z.infer<typeof item>;

export const workspacesSection: ConfigSection<Item> = {
  key: "workspaces",
  item,
  identity: (w) => w.name.toLowerCase(),
  secretFields: ["keys[].value", "budget.alertWebhookSecret"],
  async apply(items, { tx, actor, requestId, dryRun }) {
    const changes: ConfigChange[] = [];
    for (const w of items) {
      const existing = await tx.workspace.findFirst({ where: { name: { equals: w.name, mode: "insensitive" } } });
      if (!existing) {
        changes.push({ section: "workspaces", name: w.name, action: "create" });
        if (!dryRun) {
          const created = await createWorkspaceIn(tx, { actor, input: { name: w.name, description: w.description ?? "" }, requestId });
          if (w.usageRetentionDays !== undefined)
            await setUsageRetentionIn(tx, { actor, workspaceId: created.id, days: w.usageRetentionDays, requestId });
        }
        continue;
      }
      // Only fields present in the file are managed; an omitted description is left as it is.
      const retention = w.usageRetentionDays !== undefined && w.usageRetentionDays !== existing.usageRetentionDays;
      if (retention && !dryRun) await setUsageRetentionIn(tx, { actor, workspaceId: existing.id, days: w.usageRetentionDays!, requestId });
      if (w.description !== undefined && w.description !== existing.description) {
        changes.push({
          section: "workspaces",
          name: w.name,
          action: "update",
          fields: ["description", ...(retention ? ["usageRetentionDays"] : [])],
        });
        if (!dryRun) {
          // registry-neutral: the description is not routed on.
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
      } else if (retention) {
        changes.push({ section: "workspaces", name: w.name, action: "update", fields: ["usageRetentionDays"] });
      } else {
        changes.push({ section: "workspaces", name: w.name, action: "unchanged" });
      }
    }
    return changes;
  },
  // Keys name models, which the models section (applied later) may create.
  async applyLate(items, { tx, actor, requestId, dryRun }) {
    const keys = await applyConfigKeys(
      tx,
      items.map((w) => (w.keys ? { workspace: w.name, keys: w.keys } : null)),
      { actor, requestId, dryRun },
    );
    const budgets = items.flatMap((w, i) => (w.budget ? [{ workspace: w.name, path: `workspaces[${i}].budget`, budget: w.budget }] : []));
    return [...keys, ...(await applyConfigBudgets(tx, budgets, { actor, requestId, dryRun }))];
  },
  async export(tx) {
    const rows = await tx.workspace.findMany({ orderBy: { name: "asc" } });
    const out: Record<string, unknown>[] = [];
    for (const w of rows) {
      const keys = await exportConfigKeys(tx, w);
      const budget = exportConfigBudget(w);
      out.push({
        name: w.name,
        ...(w.description ? { description: w.description } : {}),
        ...(w.usageRetentionDays !== 90 ? { usageRetentionDays: w.usageRetentionDays } : {}),
        ...(keys.length ? { keys } : {}),
        ...(budget ? { budget } : {}),
      });
    }
    return out;
  },
};
