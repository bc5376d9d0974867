import { db } from "../db/client";
import type { Tx } from "../db/types";
import { orderRoutes } from "./route-order";

/**
 * Something that depends on a model. `removedWithModel`: deleted together with it once the admin confirms
 * (its routes); otherwise the deletion is refused while it exists (e.g. a workspace key that allows the model).
 */
export interface ModelDependent {
  kind: string;
  id: string;
  label: string;
  removedWithModel: boolean;
}

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
];

export async function modelDependents(modelId: string, tx: Tx = db): Promise<ModelDependent[]> {
  const model = await tx.model.findUnique({ where: { id: modelId }, select: { id: true, name: true } });
  if (!model) return [];
  const lists = [];
  for (const source of SOURCES) lists.push(...(await source(tx, model)));
  return lists;
}
