import { pricingSchema, type PricingInput } from "../schemas/models";
import { catalogEntry } from "./price-catalog";

type Declared = { name: string; contextWindow?: number; maxOutputTokens?: number; pricing?: PricingInput };
type Filled<T> = Omit<T, "contextWindow" | "maxOutputTokens"> & { contextWindow: number; maxOutputTokens: number };

/** Fields a configuration file may leave to the catalog entry of the model's name; null when the catalog has none. */
export function catalogFillable(name: string): { entryId: string; contextWindow: number; maxOutputTokens: number } | null {
  const e = catalogEntry(name);
  return e ? { entryId: e.id, contextWindow: e.contextWindow, maxOutputTokens: e.maxOutputTokens } : null;
}

/**
 * A model a configuration file creates, with what the file left out (context window, maximum output, pricing)
 * taken from the bundled catalog entry of the same name, and a line saying which. Validation has made sure the
 * window and output limit are either given or known to the catalog.
 */
export function withCatalogDefaults<T extends Declared>(m: T): { input: Filled<T>; note: string | null } {
  const e = catalogEntry(m.name);
  const taken: string[] = [];
  const pick = <V>(field: string, given: V | undefined, fromCatalog: () => V | undefined): V | undefined => {
    if (given !== undefined || !e) return given;
    taken.push(field);
    return fromCatalog();
  };
  const contextWindow = pick("contextWindow", m.contextWindow, () => e?.contextWindow);
  const maxOutputTokens = pick("maxOutputTokens", m.maxOutputTokens, () => e?.maxOutputTokens);
  const pricing = pick("pricing", m.pricing, () =>
    e
      ? pricingSchema.parse({
          inputPerMillion: e.inputPerMillion,
          outputPerMillion: e.outputPerMillion,
          cachedInputPerMillion: e.cachedInputPerMillion ?? null,
        })
      : undefined,
  );
  if (contextWindow === undefined || maxOutputTokens === undefined)
    throw new Error(`model ${m.name} has no context window or output limit`);
  const list = taken.length > 1 ? `${taken.slice(0, -1).join(", ")} and ${taken[taken.length - 1]}` : taken[0];
  return {
    input: { ...m, contextWindow, maxOutputTokens, ...(pricing !== undefined ? { pricing } : {}) },
    note: taken.length && e ? `${list} from the catalog entry ${e.id}` : null,
  };
}
