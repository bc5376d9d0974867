import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { z } from "../schemas/zod";
import type { modelDependentSchema } from "../schemas/models";
import { orderRoutes } from "./route-order";

export type ModelDependent = z.output<typeof modelDependentSchema>;

type Source = (tx: Tx, model: { id: string; name: string }) => Promise<ModelDependent[]>;

// Each feature that refers to models adds its lookup here (workspace keys, usage records...), so the delete
// confirmation, the API refusal and the console read one list.
const SOURCES: Source[] = [
  async (tx, model) => {
    const routes = await tx.modelRoute.findMany({
      where: { modelId: model.id },
      include: { platform: { select: { name: true } }, deployment: { select: { name: true } } },
    });
    return orderRoutes(routes).map((r, i) => ({
      kind: "route",
      id: r.id,
      label: `route ${i + 1}: ${r.platform ? r.platform.name : `${r.deployment?.name ?? "?"} (self-hosted)`} · ${r.upstreamModel || model.name}`,
      removedWithModel: true,
    }));
  },
  // Workspace keys that allow only named models (revoked ones no longer matter).
  async (tx, model) => {
    const keys = await tx.virtualKey.findMany({
      where: { allowedModels: { has: model.name }, revokedAt: null },
      select: { id: true, name: true, workspaceId: true },
      orderBy: { name: "asc" },
    });
    const workspaces = await tx.workspace.findMany({
      where: { id: { in: [...new Set(keys.map((k) => k.workspaceId))] } },
      select: { id: true, name: true },
    });
    const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
    return keys.map((k) => ({
      kind: "workspace-key",
      id: k.id,
      label: `API key ${k.name} in ${wsName.get(k.workspaceId) ?? "?"}`,
      removedWithModel: false,
    }));
  },
];

export async function modelDependents(modelId: string, tx: Tx = db): Promise<ModelDependent[]> {
  const model = await tx.model.findUnique({ where: { id: modelId }, select: { id: true, name: true } });
  if (!model) return [];
  const lists = [];
  for (const source of SOURCES) lists.push(...(await source(tx, model)));
  return lists;
}
