import { db } from "../db/client";
import type { Tx } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors";
import type { RoleName } from "../schemas/workspaces";
import { toMemberDto } from "./member-dto";

const memberInclude = { user: { select: { id: true, email: true, name: true, lastLoginAt: true } } } as const;

async function assertNotLastAdmin(tx: Tx, workspaceId: string, membershipId: string) {
  const admins = await tx.membership.count({ where: { workspaceId, role: "ADMIN", NOT: { id: membershipId } } });
  if (admins === 0) throw new AppError("conflict", "A workspace must keep at least one Admin");
}

export async function changeMemberRole(opts: { actor: Actor; workspaceId: string; memberId: string; role: RoleName; requestId?: string }) {
  const { actor, workspaceId, memberId, role } = opts;
  await requireWorkspacePermission(actor, workspaceId, "members.manage");
  const m = await db.$transaction(async (tx) => {
    const before = await tx.membership.findFirst({ where: { id: memberId, workspaceId }, include: memberInclude });
    if (!before) throw notFound("Member");
    if (before.role === role) return before;
    if (before.role === "ADMIN") await assertNotLastAdmin(tx, workspaceId, before.id);
    const after = await tx.membership.update({ where: { id: before.id }, data: { role }, include: memberInclude });
    await recordAudit(tx, {
      actor,
      action: "member.role",
      targetType: "member",
      targetId: after.id,
      targetLabel: after.user.email,
      workspaceId,
      changes: { role: { from: before.role, to: role } },
      requestId: opts.requestId,
    });
    return after;
  });
  return toMemberDto(m);
}

export async function removeMember(opts: { actor: Actor; workspaceId: string; memberId: string; requestId?: string }) {
  const { actor, workspaceId, memberId } = opts;
  await requireWorkspacePermission(actor, workspaceId, "members.manage");
  await db.$transaction(async (tx) => {
    const m = await tx.membership.findFirst({ where: { id: memberId, workspaceId }, include: memberInclude });
    if (!m) throw notFound("Member");
    if (m.role === "ADMIN") await assertNotLastAdmin(tx, workspaceId, m.id);
    await tx.membership.delete({ where: { id: m.id } });
    await recordAudit(tx, {
      actor,
      action: "member.remove",
      targetType: "member",
      targetId: m.id,
      targetLabel: m.user.email,
      workspaceId,
      changes: { role: { from: m.role, to: null } },
      requestId: opts.requestId,
    });
  });
}
