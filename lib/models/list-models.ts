import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import type { ModelQuery } from "../schemas/models";
import { toPage } from "../schemas/zod";
import { requireModelsRead } from "./access";
import { toModelDto, type ModelDto } from "./model-dto";

type Sortable = ModelDto & { _in: number | null; _out: number | null };

function compare(sort: ModelQuery["sort"]) {
  const byName = (a: Sortable, b: Sortable) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.id.localeCompare(b.id);
  if (sort === "name") return byName;
  const key = sort.startsWith("input") ? "_in" : "_out";
  const dir = sort.endsWith("desc") ? -1 : 1;
  // Models without a price come last in either direction.
  return (a: Sortable, b: Sortable) => {
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return (x - y) * dir || byName(a, b);
  };
}

/**
 * Models matching the filters, sorted by name or by current price. The current price depends on the time of the
 * request, not on a column, so the filtered registry (hundreds of models at most) is sorted here and paged by
 * the last row's id.
 */
export async function listModels(opts: { actor: Actor; query: ModelQuery; now?: Date }) {
  const { actor, query } = opts;
  await requireModelsRead(actor);
  const now = opts.now ?? new Date();
  const where: Prisma.ModelWhereInput = {};
  if (query.q) where.OR = [{ name: { contains: query.q, mode: "insensitive" } }, { provider: { contains: query.q, mode: "insensitive" } }];
  if (query.provider) where.provider = { equals: query.provider, mode: "insensitive" };
  if (query.status) where.status = query.status;
  if (query.feature) where.features = { has: query.feature };
  const rows = await db.model.findMany({
    where,
    include: {
      prices: { where: { effectiveFrom: { lte: now } }, orderBy: { effectiveFrom: "desc" }, take: 1 },
      _count: { select: { routes: true } },
    },
  });
  const items: Sortable[] = rows.map((m) => {
    const price = m.prices[0] ?? null;
    return {
      ...toModelDto(m, { currentPrice: price, routeCount: m._count.routes }),
      _in: price ? Number(price.inputPerMillion.toString()) : null,
      _out: price ? Number(price.outputPerMillion.toString()) : null,
    };
  });
  items.sort(compare(query.sort));
  const start = query.cursor ? items.findIndex((m) => m.id === query.cursor) + 1 : 0;
  const page = toPage(items.slice(start, start + query.limit + 1), query.limit);
  return { data: page.data.map(({ _in, _out, ...m }) => m), nextCursor: page.nextCursor };
}

/** Distinct providers, for the list's filter. */
export async function listModelProviders(opts: { actor: Actor }) {
  await requireModelsRead(opts.actor);
  const rows = await db.model.findMany({
    where: { provider: { not: "" } },
    distinct: ["provider"],
    select: { provider: true },
    orderBy: { provider: "asc" },
  });
  return { data: rows.map((r) => r.provider), nextCursor: null };
}
