import type { Actor } from "../auth/actor";
import { requireCatalogRead } from "./access";
import { CATALOG_DATE, PRICE_CATALOG, type CatalogEntry } from "./price-catalog";

/** The bundled price catalog (read-only), filtered by text or provider. */
export async function listCatalogModels(opts: { actor: Actor; query: { q?: string; provider?: string } }) {
  await requireCatalogRead(opts.actor);
  const q = opts.query.q?.toLowerCase();
  const provider = opts.query.provider?.toLowerCase();
  const data: CatalogEntry[] = PRICE_CATALOG.filter(
    (e) =>
      (!q || e.id.toLowerCase().includes(q) || e.label.toLowerCase().includes(q) || e.provider.toLowerCase().includes(q)) &&
      (!provider || e.provider.toLowerCase() === provider),
  );
  return { catalogDate: CATALOG_DATE, data, nextCursor: null };
}
