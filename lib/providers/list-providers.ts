import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { ProviderDto } from "../schemas/providers";
import { toPage, type ListQuery } from "../schemas/zod";
import { providerSelect, toProviderDto } from "./provider-dto";
import { catalogEntriesById } from "../catalog/providers/catalog";

/** A workspace's providers by name; search by name, title or global id. */
export async function listProviders(opts: {
  actor: Actor;
  query: ListQuery & { workspaceId: string };
}): Promise<{ data: ProviderDto[]; nextCursor: string | null }> {
  const { actor, query } = opts;
  await requireWorkspacePermission(actor, query.workspaceId, "integrations.read");
  const where: Prisma.ProviderWhereInput = { workspaceId: query.workspaceId };
  if (query.q) {
    where.OR = [
      { name: { contains: query.q, mode: "insensitive" } },
      { title: { contains: query.q, mode: "insensitive" } },
      { globalId: { contains: query.q, mode: "insensitive" } },
    ];
  }
  const rows = await db.provider.findMany({
    where,
    select: providerSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  const ids = page.data.map((r) => r.id);
  const versionIds = page.data.map((r) => r.currentVersionId).filter((v): v is string => !!v);
  const catalogIds = [...new Set(page.data.map((r) => r.catalogId).filter((v): v is string => !!v))];
  const [versions, totals, enabled, latest] = await Promise.all([
    db.providerVersion.findMany({
      where: { id: { in: versionIds }, providerId: { in: ids } },
      select: { id: true, number: true, specVersion: true },
    }),
    db.providerOperation.groupBy({ by: ["providerId"], where: { providerId: { in: ids } }, _count: { _all: true } }),
    db.providerOperation.groupBy({ by: ["providerId"], where: { providerId: { in: ids }, enabled: true }, _count: { _all: true } }),
    catalogEntriesById(catalogIds),
  ]);
  const vById = new Map(versions.map((v) => [v.id, v]));
  const count = (list: typeof totals, id: string) => list.find((t) => t.providerId === id)?._count._all ?? 0;
  return {
    data: page.data.map((r) => {
      const v = r.currentVersionId ? vById.get(r.currentVersionId) : undefined;
      return toProviderDto(
        r,
        {
          currentVersionNumber: v?.number ?? null,
          specVersion: v?.specVersion ?? null,
          operationCount: count(totals, r.id),
          enabledOperationCount: count(enabled, r.id),
        },
        r.catalogId ? latest.get(r.catalogId) : null,
      );
    }),
    nextCursor: page.nextCursor,
  };
}
