import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { hashPassword } from "../auth/password";
import { generateSecret, hashSecret } from "../auth/secret-token";
import { recordAudit } from "../audit/record";
import { AppError, conflict, notFound } from "../errors";
import type { z } from "../schemas/zod";
import type { invitationDtoSchema } from "../schemas/dto";
import type { AcceptInvitationInput, InviteMemberInput, RoleName } from "../schemas/workspaces";

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationDto = z.output<typeof invitationDtoSchema>;

const toDto = (i: { id: string; email: string; role: RoleName; expiresAt: Date; createdAt: Date }): InvitationDto => ({
  id: i.id,
  email: i.email,
  role: i.role,
  expiresAt: i.expiresAt.toISOString(),
  createdAt: i.createdAt.toISOString(),
});

/** Creates a single-use invitation link (valid 7 days). The token is returned once and stored hashed. */
export async function inviteMember(opts: { actor: Actor; workspaceId: string; input: InviteMemberInput; requestId?: string }) {
  const { actor, workspaceId, input } = opts;
  await requireWorkspacePermission(actor, workspaceId, "members.manage");
  const token = generateSecret("sbinv");
  const inv = await db.$transaction(async (tx) => {
    const member = await tx.membership.findFirst({ where: { workspaceId, user: { email: input.email } }, select: { id: true } });
    if (member) throw conflict("This person is already a member of the workspace", "email");
    // A new invitation for the same email replaces any pending one.
    await tx.invitation.updateMany({
      where: { workspaceId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const created = await tx.invitation.create({
      data: {
        workspaceId,
        email: input.email,
        role: input.role,
        tokenHash: hashSecret(token),
        invitedById: actor.type === "user" ? actor.id : null,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      },
    });
    await recordAudit(tx, {
      actor,
      action: "member.invite",
      targetType: "invitation",
      targetId: created.id,
      targetLabel: input.email,
      workspaceId,
      changes: { role: { from: null, to: input.role } },
      requestId: opts.requestId,
    });
    return created;
  });
  return { invitation: toDto(inv), token };
}

export async function listInvitations(opts: { actor: Actor; workspaceId: string }) {
  await requireWorkspacePermission(opts.actor, opts.workspaceId, "members.manage");
  const rows = await db.invitation.findMany({
    where: { workspaceId: opts.workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map(toDto);
}

export async function revokeInvitation(opts: { actor: Actor; workspaceId: string; invitationId: string; requestId?: string }) {
  const { actor, workspaceId, invitationId } = opts;
  await requireWorkspacePermission(actor, workspaceId, "members.manage");
  await db.$transaction(async (tx) => {
    const inv = await tx.invitation.findFirst({ where: { id: invitationId, workspaceId, acceptedAt: null, revokedAt: null } });
    if (!inv) throw notFound("Invitation");
    await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actor,
      action: "member.invite.revoke",
      targetType: "invitation",
      targetId: inv.id,
      targetLabel: inv.email,
      workspaceId,
      requestId: opts.requestId,
    });
  });
}

/** What the invitation page shows before the person accepts. */
export async function describeInvitation(token: string) {
  const inv = await db.invitation.findUnique({ where: { tokenHash: hashSecret(token) }, include: { workspace: true } });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= new Date()) return null;
  const existing = await db.user.findUnique({ where: { email: inv.email }, select: { id: true } });
  return { email: inv.email, role: inv.role, workspaceName: inv.workspace.name, accountExists: !!existing };
}

/**
 * Accepts an invitation: creates the account (or, for an existing account, only adds the membership; its
 * password is never changed through a link). Single use.
 */
export async function acceptInvitation(input: AcceptInvitationInput) {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hashSecret(input.token) } });
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= new Date()) {
      throw new AppError("not_found", "This invitation is invalid, used or expired");
    }
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count !== 1) throw new AppError("not_found", "This invitation is invalid, used or expired");
    let user = await tx.user.findUnique({ where: { email: inv.email } });
    if (!user) user = await tx.user.create({ data: { email: inv.email, name: input.name, passwordHash } });
    const m = await tx.membership.upsert({
      where: { workspaceId_userId: { workspaceId: inv.workspaceId, userId: user.id } },
      create: { workspaceId: inv.workspaceId, userId: user.id, role: inv.role },
      update: {},
    });
    await recordAudit(tx, {
      actor: { type: "user", id: user.id, email: user.email, name: user.name, isInstanceAdmin: user.isInstanceAdmin },
      action: "member.invite.accept",
      targetType: "member",
      targetId: m.id,
      targetLabel: user.email,
      workspaceId: inv.workspaceId,
      changes: { role: { from: null, to: m.role } },
    });
    return { email: user.email };
  });
}
