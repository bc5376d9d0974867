import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { CredentialQuery } from "../schemas/credentials";
import { toPage } from "../schemas/zod";
import { requireCredentialAccess } from "./access";
import { credentialSelect, toCredentialDto } from "./credential-dto";

export async function listCredentials(opts: { actor: Actor; workspaceId: string | null; query: CredentialQuery }) {
  const { actor, workspaceId, query } = opts;
  await requireCredentialAccess(actor, workspaceId);
  const where: Prisma.CredentialWhereInput = { workspaceId };
  if (query.kind) where.kind = query.kind;
  if (query.q)
    where.OR = [{ name: { contains: query.q, mode: "insensitive" } }, { description: { contains: query.q, mode: "insensitive" } }];
  const rows = await db.credential.findMany({
    where,
    select: credentialSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map(toCredentialDto), nextCursor: page.nextCursor };
}

export async function getCredential(opts: { actor: Actor; workspaceId: string | null; credentialId: string }) {
  await requireCredentialAccess(opts.actor, opts.workspaceId);
  const row = await db.credential.findFirst({ where: { id: opts.credentialId, workspaceId: opts.workspaceId }, select: credentialSelect });
  if (!row) throw notFound("Credential");
  return toCredentialDto(row);
}

/** The workspace a credential belongs to (null: instance-level), for routes that address it by id alone. */
export async function credentialScope(credentialId: string): Promise<string | null> {
  const row = await db.credential.findUnique({ where: { id: credentialId }, select: { workspaceId: true } });
  if (!row) throw notFound("Credential");
  return row.workspaceId;
}
