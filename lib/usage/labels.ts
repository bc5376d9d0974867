import { db } from "../db/client";
import type { UsageGroupBy } from "../schemas/usage";
import type { UsageScope } from "./scope";

export const NO_GROUP_LABEL = "(none)";

/**
 * Readable names for report groups: workspace names, key name and prefix, platform and deployment names (ids of
 * deleted objects stay visible as "<id> (deleted)"). Models, users and agents are already names or ids.
 */
export async function groupLabels(groupBy: UsageGroupBy, groups: string[], scope: UsageScope): Promise<Map<string, string>> {
  const ids = groups.filter(Boolean);
  const found = new Map<string, string>();
  if (ids.length) {
    const inScope = scope.workspaceIds ? { in: scope.workspaceIds } : undefined;
    switch (groupBy) {
      case "workspace":
        for (const w of await db.workspace.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }))
          found.set(w.id, w.name);
        break;
      case "key":
        // Scoped: a key id recorded elsewhere never lends its name to this report.
        for (const k of await db.virtualKey.findMany({
          where: { id: { in: ids }, ...(inScope ? { workspaceId: inScope } : {}) },
          select: { id: true, name: true, prefix: true },
        }))
          found.set(k.id, `${k.name} (${k.prefix}…)`);
        break;
      case "platform":
        for (const p of await db.platform.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }))
          found.set(p.id, p.name);
        break;
      case "deployment":
        for (const d of await db.deployment.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }))
          found.set(d.id, d.name);
        break;
      default:
        for (const id of ids) found.set(id, id);
    }
  }
  return new Map(groups.map((g) => [g, g === "" ? NO_GROUP_LABEL : (found.get(g) ?? `${g} (deleted)`)]));
}
