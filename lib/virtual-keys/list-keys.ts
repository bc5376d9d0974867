import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { KeyStatus, VirtualKeyQuery } from "../schemas/virtual-keys";
import { toPage } from "../schemas/zod";
import { requireKeyAccess } from "./access";
import { keySelect, toVirtualKeyDto } from "./key-dto";

function statusWhere(status: KeyStatus, now: Date): Prisma.VirtualKeyWhereInput {
  if (status === "revoked") return { revokedAt: { not: null } };
  if (status === "expired") return { revokedAt: null, expiresAt: { lte: now } };
  return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/** A workspace's keys, newest first; search by name, owner or prefix; filter by status. */
export async function listVirtualKeys(opts: { actor: Actor; query: VirtualKeyQuery }) {
  const { actor, query } = opts;
  await requireWorkspacePermission(actor, query.workspaceId, "gatewayKeys.read");
  const and: Prisma.VirtualKeyWhereInput[] = [{ workspaceId: query.workspaceId }];
  if (query.status) and.push(statusWhere(query.status, new Date()));
  if (query.q) {
    and.push({
      OR: [
        { name: { contains: query.q, mode: "insensitive" } },
        { owner: { contains: query.q, mode: "insensitive" } },
        { prefix: { startsWith: query.q } },
      ],
    });
  }
  const rows = await db.virtualKey.findMany({
    where: { AND: and },
    select: keySelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map((r) => toVirtualKeyDto(r)), nextCursor: page.nextCursor };
}

export async function getVirtualKey(opts: { actor: Actor; keyId: string; workspaceId?: string }) {
  const workspaceId = await requireKeyAccess(opts.actor, opts.keyId, "gatewayKeys.read", opts.workspaceId);
  const row = await db.virtualKey.findFirst({ where: { id: opts.keyId, workspaceId }, select: keySelect });
  if (!row) throw notFound("API key");
  return toVirtualKeyDto(row);
}
