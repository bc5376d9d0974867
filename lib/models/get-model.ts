import { db } from "../db/client";
import type { Tx } from "../db/types";
import { isInstanceAdmin, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import { requireModelsRead } from "./access";
import { modelDependents } from "./model-dependents";
import { routeInclude, routeOrderBy, toModelDetailDto, type ModelDetailDto } from "./model-dto";

/** A model with its current price, full price history (newest first), routes in failover order and dependents. */
export async function loadModelDetail(tx: Tx, modelId: string): Promise<ModelDetailDto> {
  const m = await tx.model.findUnique({
    where: { id: modelId },
    include: { prices: { orderBy: { effectiveFrom: "desc" } }, routes: { include: routeInclude, orderBy: routeOrderBy } },
  });
  if (!m) throw notFound("Model");
  return toModelDetailDto(m, await modelDependents(m.id, tx));
}

export async function getModel(opts: { actor: Actor; modelId: string }): Promise<ModelDetailDto> {
  await requireModelsRead(opts.actor);
  const detail = await loadModelDetail(db, opts.modelId);
  // Workspace keys belong to their workspaces: only instance admins (who delete models) see which keys use it.
  return isInstanceAdmin(opts.actor) ? detail : { ...detail, dependents: detail.dependents.filter((d) => d.kind !== "workspace-key") };
}
