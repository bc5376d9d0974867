import { db } from "../db/client";
import type { Tx } from "../db/types";
import { isUniqueViolation } from "../db/errors";
import type { Actor } from "../auth/actor";
import { AppError, conflict } from "../errors";
import type { CreateModelInput } from "../schemas/models";
import { requireModelsManage } from "./access";
import { loadModelDetail } from "./get-model";
import { insertPriceIn, priceLabel } from "./add-price";
import { replaceRoutesIn, routeSummary, routeTargetProblems } from "./set-routes";
import { registryWrite } from "../gateway/registry-write";

export async function assertModelNameFree(tx: Tx, name: string, exceptId?: string) {
  const clash = await tx.model.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict("A model with this name already exists", "name");
}

/** Creates a model inside `tx` with its first price (effective now unless given) and routes. */
export async function createModelIn(
  tx: Tx,
  opts: { actor: Actor; input: CreateModelInput; source?: string; requestId?: string; routePath?: string },
) {
  const { actor, input } = opts;
  await assertModelNameFree(tx, input.name);
  const routes = input.routes ?? [];
  const problems = await routeTargetProblems(tx, routes, opts.routePath ?? "routes");
  if (problems.length)
    throw new AppError("validation_failed", "Some routes point to targets that cannot serve this model", { fields: problems });
  return registryWrite(tx, async (tx) => {
    const m = await tx.model.create({
      data: {
        name: input.name,
        provider: input.provider ?? "",
        status: input.status ?? "active",
        description: input.description ?? "",
        features: input.features ?? [],
        modalities: input.modalities ?? ["text"],
        contextWindow: input.contextWindow,
        maxOutputTokens: input.maxOutputTokens,
        defaultContext: input.defaultContext ?? null,
        defaultMaxOutput: input.defaultMaxOutput ?? null,
        source: opts.source ?? "console",
      },
    });
    const price = input.pricing
      ? await insertPriceIn(tx, { modelId: m.id, pricing: input.pricing, effectiveFrom: input.effectiveFrom ?? new Date() })
      : null;
    const chain = routes.length ? await replaceRoutesIn(tx, { actor, model: m, routes, audit: false }) : [];
    const fields = [
      "name",
      "provider",
      "status",
      "features",
      "modalities",
      "contextWindow",
      "maxOutputTokens",
      "defaultContext",
      "defaultMaxOutput",
    ] as const;
    const audit = {
      actor,
      action: "model.create",
      targetType: "model",
      targetId: m.id,
      targetLabel: m.name,
      changes: {
        ...Object.fromEntries(fields.map((f) => [f, { from: null, to: m[f] }])),
        ...(price ? { price: { from: null, to: priceLabel(price) } } : {}),
        ...(chain.length ? { routes: { from: null, to: chain.map(routeSummary) } } : {}),
      },
      requestId: opts.requestId,
    };
    return { result: m, audit };
  });
}

export async function createModel(opts: { actor: Actor; input: CreateModelInput; requestId?: string }) {
  requireModelsManage(opts.actor);
  try {
    return await db.$transaction(async (tx) => {
      const m = await createModelIn(tx, opts);
      return loadModelDetail(tx, m.id);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A model with this name already exists", "name");
    throw e;
  }
}
