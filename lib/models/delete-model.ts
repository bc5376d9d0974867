import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { AppError, notFound } from "../errors";
import { requireModelsManage } from "./access";
import { modelDependents } from "./model-dependents";
import { registryWrite } from "../gateway/registry-write";

/**
 * Deletes a model with its price history and routes. While anything depends on it the API refuses, listing
 * the dependents; `force` confirms removing those that go with the model (its routes). Dependents that
 * cannot go with it always refuse.
 */
export async function deleteModel(opts: { actor: Actor; modelId: string; force?: boolean; requestId?: string }): Promise<void> {
  requireModelsManage(opts.actor);
  await registryWrite(db, async (tx) => {
    const m = await tx.model.findUnique({
      where: { id: opts.modelId },
      select: { id: true, name: true, _count: { select: { prices: true } } },
    });
    if (!m) throw notFound("Model");
    const dependents = await modelDependents(m.id, tx);
    const blocking = dependents.filter((d) => !d.removedWithModel || !opts.force);
    if (blocking.length) {
      const removable = blocking.every((d) => d.removedWithModel);
      throw new AppError(
        "conflict",
        removable
          ? `${m.name} has ${blocking.length} dependent${blocking.length > 1 ? "s" : ""} that would be deleted with it; confirm with force=true`
          : `${m.name} is still used; remove these first`,
        { fields: blocking.map((d) => ({ path: `dependents.${d.kind}`, message: d.label })) },
      );
    }
    await tx.model.delete({ where: { id: m.id } });
    const audit = {
      actor: opts.actor,
      action: "model.delete",
      targetType: "model",
      targetId: m.id,
      targetLabel: m.name,
      changes: {
        name: { from: m.name, to: null },
        ...(dependents.length ? { removed: { from: dependents.map((d) => d.label), to: null } } : {}),
        prices: { from: m._count.prices, to: null },
      },
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
}
