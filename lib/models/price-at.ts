import { db } from "../db/client";
import type { Tx } from "../db/types";

export interface Dated {
  effectiveFrom: Date;
}

/** The price in force at `at`: the one with the greatest effectiveFrom not after `at` (null before the first). */
export function pickPriceAt<T extends Dated>(prices: readonly T[], at: Date): T | null {
  let best: T | null = null;
  for (const p of prices) {
    if (p.effectiveFrom.getTime() > at.getTime()) continue;
    if (!best || p.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = p;
  }
  return best;
}

/** The ModelPrice row in force when a call was made; metering bills usage with it. */
export async function priceAt(modelId: string, at: Date, tx: Tx = db) {
  return tx.modelPrice.findFirst({
    where: { modelId, effectiveFrom: { lte: at } },
    orderBy: { effectiveFrom: "desc" },
  });
}
