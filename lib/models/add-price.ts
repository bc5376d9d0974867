import { db } from "../db/client";
import type { Tx } from "../db/types";
import { isUniqueViolation } from "../db/errors";
import type { Actor } from "../auth/actor";
import { conflict, notFound } from "../errors";
import type { AddPriceInput, PricingInput } from "../schemas/models";
import { requireModelsManage, requireModelsRead } from "./access";
import { toPriceDto, type PriceDto } from "./model-dto";
import { toDecimal } from "./money";
import { registryWrite } from "../gateway/registry-write";

// Prices are never edited: a change adds a row with its effective date, so usage is billed at the price in
// force when each call was made.
export async function insertPriceIn(
  tx: Tx,
  opts: { modelId: string; pricing: PricingInput; effectiveFrom: Date; note?: string },
): Promise<PriceDto> {
  const clash = await tx.modelPrice.findUnique({
    where: { modelId_effectiveFrom: { modelId: opts.modelId, effectiveFrom: opts.effectiveFrom } },
    select: { id: true },
  });
  if (clash) throw conflict("A price with this effective date already exists; choose another date and time", "effectiveFrom");
  // The caller's audit entry records the price (model.price.add, or model.create with its first price).
  return registryWrite(tx, async (tx) => {
    const row = await tx.modelPrice.create({
      data: {
        modelId: opts.modelId,
        effectiveFrom: opts.effectiveFrom,
        inputPerMillion: toDecimal(opts.pricing.inputPerMillion),
        outputPerMillion: toDecimal(opts.pricing.outputPerMillion),
        cachedInputPerMillion: opts.pricing.cachedInputPerMillion ? toDecimal(opts.pricing.cachedInputPerMillion) : null,
        note: opts.note ?? "",
      },
    });
    return { result: toPriceDto(row), audit: null, snapshot: true };
  });
}

export const priceLabel = (p: PriceDto) =>
  `${p.inputPerMillion} / ${p.outputPerMillion}${p.cachedInputPerMillion ? ` (cached ${p.cachedInputPerMillion})` : ""} from ${p.effectiveFrom}`;

/** Adds a price to a model's history inside `tx`, with an audit entry. */
export async function addPriceIn(
  tx: Tx,
  opts: { actor: Actor; model: { id: string; name: string }; input: AddPriceInput; requestId?: string },
) {
  const { input } = opts;
  return registryWrite(tx, async (tx) => {
    const price = await insertPriceIn(tx, {
      modelId: opts.model.id,
      pricing: input,
      effectiveFrom: input.effectiveFrom ?? new Date(),
      note: input.note,
    });
    const audit = {
      actor: opts.actor,
      action: "model.price.add",
      targetType: "model",
      targetId: opts.model.id,
      targetLabel: opts.model.name,
      changes: { price: { from: null, to: priceLabel(price) } },
      requestId: opts.requestId,
    };
    return { result: price, audit };
  });
}

export async function addPrice(opts: { actor: Actor; modelId: string; input: AddPriceInput; requestId?: string }): Promise<PriceDto> {
  requireModelsManage(opts.actor);
  try {
    return await db.$transaction(async (tx) => {
      const model = await tx.model.findUnique({ where: { id: opts.modelId }, select: { id: true, name: true } });
      if (!model) throw notFound("Model");
      return addPriceIn(tx, { ...opts, model });
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw conflict("A price with this effective date already exists; choose another date and time", "effectiveFrom");
    throw e;
  }
}

export async function listPrices(opts: { actor: Actor; modelId: string }) {
  await requireModelsRead(opts.actor);
  const model = await db.model.findUnique({ where: { id: opts.modelId }, select: { id: true } });
  if (!model) throw notFound("Model");
  const rows = await db.modelPrice.findMany({ where: { modelId: model.id }, orderBy: { effectiveFrom: "desc" } });
  return { data: rows.map(toPriceDto), nextCursor: null };
}
