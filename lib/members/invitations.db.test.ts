import { describe, expect, it } from "vitest";
import { acceptInvitation, describeInvitation, inviteMember, listInvitations, revokeInvitation } from "./invitations";
import { authenticate } from "../auth/sign-in";
import { hashSecret } from "../auth/secret-token";
import { suffix, userInWorkspace } from "../testing/factories";
import { db, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";

useTestDb();
const newEmail = () => `invitee-${suffix()}@example.test`;

describe("invitations", () => {
  it("returns the token once and stores only its hash", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const email = newEmail();
    const { invitation, token } = await inviteMember({ actor, workspaceId: ws.id, input: { email, role: "BUILDER" } });
    expect(token).toMatch(/^sbinv_/);
    expect(invitation).toMatchObject({ email, role: "BUILDER" });
    expect(JSON.stringify(invitation)).not.toContain(token);
    expect(new Date(invitation.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const row = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toBe(hashSecret(token));
    expect(await tablesContaining(token)).toEqual({});
    // Listing never carries the token either.
    const listed = await listInvitations({ actor, workspaceId: ws.id });
    expect(listed.map((i) => i.id)).toEqual([invitation.id]);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it("accepting creates the account and membership; the link then stops working", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const email = newEmail();
    const { token } = await inviteMember({ actor, workspaceId: ws.id, input: { email, role: "BUILDER" } });
    expect(await describeInvitation(token)).toEqual({ email, role: "BUILDER", workspaceName: ws.name, accountExists: false });
    await expect(acceptInvitation({ token, name: "Invited Person", password: "invitee-password" })).resolves.toEqual({ email });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "Invited Person", isInstanceAdmin: false });
    expect(await db.membership.findFirstOrThrow({ where: { workspaceId: ws.id, userId: user.id } })).toMatchObject({ role: "BUILDER" });
    await expect(authenticate({ email, password: "invitee-password", address: `inv-${suffix()}` })).resolves.toMatchObject({ id: user.id });
    expect(await db.auditEntry.count({ where: { action: "member.invite.accept", workspaceId: ws.id, actorId: user.id } })).toBe(1);

    await expectAppError(acceptInvitation({ token, name: "Again", password: "another-password" }), "not_found");
    expect(await describeInvitation(token)).toBeNull();
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("an existing account only gains the membership; its password is not changed through the link", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { user } = await userInWorkspace("MEMBER"); // a member elsewhere
    const { token } = await inviteMember({ actor, workspaceId: ws.id, input: { email: user.email, role: "MEMBER" } });
    expect((await describeInvitation(token))?.accountExists).toBe(true);
    await acceptInvitation({ token, name: "Someone Else", password: "takeover-password" });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(user.passwordHash);
    expect(after.name).toBe(user.name);
    expect(await db.membership.count({ where: { workspaceId: ws.id, userId: user.id } })).toBe(1);
  });

  it("refuses an expired, a revoked or an unknown token", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const expired = await inviteMember({ actor, workspaceId: ws.id, input: { email: newEmail(), role: "MEMBER" } });
    await db.invitation.update({ where: { id: expired.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectAppError(acceptInvitation({ token: expired.token, name: "X", password: "password-123" }), "not_found");

    const revoked = await inviteMember({ actor, workspaceId: ws.id, input: { email: newEmail(), role: "MEMBER" } });
    await revokeInvitation({ actor, workspaceId: ws.id, invitationId: revoked.invitation.id });
    await expectAppError(acceptInvitation({ token: revoked.token, name: "X", password: "password-123" }), "not_found");
    await expectAppError(revokeInvitation({ actor, workspaceId: ws.id, invitationId: revoked.invitation.id }), "not_found");

    await expectAppError(acceptInvitation({ token: `sbinv_${"A".repeat(43)}`, name: "X", password: "password-123" }), "not_found");
    await expectAppError(acceptInvitation({ token: "' OR 1=1 --xxxxxxxxxxxxxxx", name: "X", password: "password-123" }), "not_found");
    expect(await db.user.count({ where: { email: { in: [expired.invitation.email, revoked.invitation.email] } } })).toBe(0);
    expect(await listInvitations({ actor, workspaceId: ws.id })).toEqual([]);
  });

  it("a new invitation for the same email revokes the pending one", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const email = newEmail();
    const first = await inviteMember({ actor, workspaceId: ws.id, input: { email, role: "ADMIN" } });
    const second = await inviteMember({ actor, workspaceId: ws.id, input: { email, role: "MEMBER" } });
    expect((await db.invitation.findUniqueOrThrow({ where: { id: first.invitation.id } })).revokedAt).toBeInstanceOf(Date);
    await expectAppError(acceptInvitation({ token: first.token, name: "X", password: "password-123" }), "not_found");
    await acceptInvitation({ token: second.token, name: "X", password: "password-123" });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect((await db.membership.findFirstOrThrow({ where: { workspaceId: ws.id, userId: user.id } })).role).toBe("MEMBER");
  });

  it("refuses to invite an existing member, and is for workspace Admins only", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const member = await userInWorkspace("MEMBER", ws.id);
    const e = await expectAppError(
      inviteMember({ actor, workspaceId: ws.id, input: { email: member.user.email, role: "ADMIN" } }),
      "conflict",
    );
    expect(e.fields?.[0].path).toBe("email");
    const builder = await userInWorkspace("BUILDER", ws.id);
    await expectAppError(
      inviteMember({ actor: builder.actor, workspaceId: ws.id, input: { email: newEmail(), role: "ADMIN" } }),
      "forbidden",
    );
    const otherAdmin = await userInWorkspace("ADMIN");
    await expectAppError(
      inviteMember({ actor: otherAdmin.actor, workspaceId: ws.id, input: { email: newEmail(), role: "ADMIN" } }),
      "not_found",
    );
    // Nor can an Admin of another workspace revoke this workspace's invitation through their own workspace id.
    const inv = await inviteMember({ actor, workspaceId: ws.id, input: { email: newEmail(), role: "MEMBER" } });
    await expectAppError(
      revokeInvitation({ actor: otherAdmin.actor, workspaceId: otherAdmin.ws.id, invitationId: inv.invitation.id }),
      "not_found",
    );
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.invitation.id } })).revokedAt).toBeNull();
    expect(await db.invitation.count({ where: { workspaceId: ws.id } })).toBe(1);
  });
});
