import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { hashPassword } from "../auth/password";
import { recordAudit } from "../audit/record";
import { AppError, conflict } from "../errors";
import type { AddMemberInput } from "../schemas/workspaces";
import { toMemberDto } from "./member-dto";

/**
 * Adds a person to a workspace. An existing account is added as is (its password untouched); for a new email
 * the admin gives a name and an initial password, which the person can use to sign in at once.
 */
export async function addMember(opts: { actor: Actor; workspaceId: string; input: AddMemberInput; requestId?: string }) {
  const { actor, workspaceId, input } = opts;
  await requireWorkspacePermission(actor, workspaceId, "members.manage");
  const existingUser = await db.user.findUnique({ where: { email: input.email } });
  if (!existingUser) {
    const fields = [];
    if (!input.name) fields.push({ path: "name", message: "Required for a new account" });
    if (!input.password) fields.push({ path: "password", message: "Required for a new account" });
    if (fields.length)
      throw new AppError("validation_failed", "No account exists for this email; give a name and an initial password", { fields });
  }
  const passwordHash = existingUser ? null : await hashPassword(input.password!);
  const member = await db.$transaction(async (tx) => {
    const user = existingUser ?? (await tx.user.create({ data: { email: input.email, name: input.name!, passwordHash } }));
    const already = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId: user.id } } });
    if (already) throw conflict("This person is already a member of the workspace", "email");
    const m = await tx.membership.create({
      data: { workspaceId, userId: user.id, role: input.role },
      include: { user: { select: { id: true, email: true, name: true, lastLoginAt: true } } },
    });
    await recordAudit(tx, {
      actor,
      action: "member.add",
      targetType: "member",
      targetId: m.id,
      targetLabel: user.email,
      workspaceId,
      changes: { role: { from: null, to: input.role }, ...(existingUser ? {} : { account: { from: null, to: "created" } }) },
      requestId: opts.requestId,
    });
    return m;
  });
  return toMemberDto(member);
}
