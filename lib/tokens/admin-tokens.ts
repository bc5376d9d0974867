import { db } from "../db/client";
import { requireInstancePermission, type Actor } from "../auth/actor";
import { generateSecret, hashSecret, secretPrefix } from "../auth/secret-token";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import type { z } from "../schemas/zod";
import type { adminTokenDtoSchema } from "../schemas/dto";
import type { CreateAdminTokenInput } from "../schemas/tokens";
import { toPage, type ListQuery } from "../schemas/zod";

// Read shape of an admin token (its schema cannot carry the token or its hash).
export type AdminTokenDto = z.output<typeof adminTokenDtoSchema>;

type Row = {
  id: string;
  name: string;
  prefix: string;
  source: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy?: { email: string } | null;
};

export const toAdminTokenDto = (t: Row): AdminTokenDto => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  source: t.source as AdminTokenDto["source"],
  createdBy: t.createdBy?.email ?? null,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

const select = {
  id: true,
  name: true,
  prefix: true,
  source: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { email: true } },
} as const;

/** Creates an admin token. The plaintext is returned once; only its SHA-256 and a short prefix are stored. */
export async function createAdminToken(opts: { actor: Actor; input: CreateAdminTokenInput; requestId?: string }) {
  const { actor, input } = opts;
  requireInstancePermission(actor, "tokens.manage");
  const token = generateSecret("sbat");
  const row = await db.$transaction(async (tx) => {
    const created = await tx.adminToken.create({
      data: {
        name: input.name,
        prefix: secretPrefix(token),
        tokenHash: hashSecret(token),
        createdById: actor.type === "user" ? actor.id : null,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
      select,
    });
    await recordAudit(tx, {
      actor,
      action: "token.create",
      targetType: "admin_token",
      targetId: created.id,
      targetLabel: created.name,
      changes: { name: { from: null, to: created.name }, prefix: { from: null, to: created.prefix } },
      requestId: opts.requestId,
    });
    return created;
  });
  return { token, adminToken: toAdminTokenDto(row) };
}

export async function listAdminTokens(opts: { actor: Actor; query: ListQuery & { includeRevoked?: boolean } }) {
  const { actor, query } = opts;
  requireInstancePermission(actor, "tokens.manage");
  const rows = await db.adminToken.findMany({
    where: {
      ...(query.includeRevoked ? {} : { revokedAt: null }),
      ...(query.q ? { name: { contains: query.q, mode: "insensitive" as const } } : {}),
    },
    select,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map(toAdminTokenDto), nextCursor: page.nextCursor };
}

export async function revokeAdminToken(opts: { actor: Actor; tokenId: string; requestId?: string }) {
  const { actor, tokenId } = opts;
  requireInstancePermission(actor, "tokens.manage");
  return db.$transaction(async (tx) => {
    const t = await tx.adminToken.findUnique({ where: { id: tokenId }, select });
    if (!t) throw notFound("Admin token");
    if (t.revokedAt) return toAdminTokenDto(t);
    const after = await tx.adminToken.update({ where: { id: t.id }, data: { revokedAt: new Date() }, select });
    await recordAudit(tx, {
      actor,
      action: "token.revoke",
      targetType: "admin_token",
      targetId: t.id,
      targetLabel: t.name,
      changes: { revokedAt: { from: null, to: after.revokedAt!.toISOString() } },
      requestId: opts.requestId,
    });
    return toAdminTokenDto(after);
  });
}
