import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import type { PlatformQuery } from "../schemas/platforms";
import { toPage } from "../schemas/zod";
import { requirePlatformRead } from "./access";
import { platformInclude, toPlatformDto } from "./platform-dto";

/** Platforms by name; `q` searches name, base URL and notes. */
export async function listPlatforms(opts: { actor: Actor; query: PlatformQuery }) {
  const { actor, query } = opts;
  await requirePlatformRead(actor);
  const where: Prisma.PlatformWhereInput = {};
  if (query.vendor) where.vendor = query.vendor;
  if (query.status) where.status = query.status;
  if (query.q) {
    where.OR = [
      { name: { contains: query.q, mode: "insensitive" } },
      { baseUrl: { contains: query.q, mode: "insensitive" } },
      { notes: { contains: query.q, mode: "insensitive" } },
    ];
  }
  const rows = await db.platform.findMany({
    where,
    include: platformInclude,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map((p) => toPlatformDto(p)), nextCursor: page.nextCursor };
}
