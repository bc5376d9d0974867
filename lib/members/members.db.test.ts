import { describe, expect, it } from "vitest";
import { addMember } from "./add-member";
import { changeMemberRole, removeMember } from "./change-role";
import { listMembers } from "./list-members";
import { verifyPassword } from "../auth/password";
import { createUser, createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { db, rowCounts, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";

useTestDb();

describe("addMember", () => {
  it("adds an existing account with the given role, leaving its password alone", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { user } = await createUser({ password: "original-password" });
    const m = await addMember({ actor, workspaceId: ws.id, input: { email: user.email, role: "BUILDER", password: "attempted-change" } });
    expect(m).toMatchObject({ userId: user.id, email: user.email, role: "BUILDER" });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword("original-password", after.passwordHash)).toBe(true);
    expect(await db.auditEntry.findMany({ where: { targetId: m.id } })).toEqual([
      expect.objectContaining({ action: "member.add", workspaceId: ws.id, changes: { role: { from: null, to: "BUILDER" } } }),
    ]);
  });

  it("creates a new account when given a name and an initial password", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const email = `new-${suffix()}@example.test`;
    const m = await addMember({
      actor,
      workspaceId: ws.id,
      input: { email, role: "MEMBER", name: "New Person", password: "initial-password" },
    });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(m).toMatchObject({ userId: user.id, name: "New Person", role: "MEMBER" });
    expect(await verifyPassword("initial-password", user.passwordHash)).toBe(true);
    expect(user.isInstanceAdmin).toBe(false);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: m.id } });
    expect(JSON.stringify(audit)).not.toContain("initial-password");
  });

  it("needs both name and password for a new email, and creates nothing without them", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const email = `missing-${suffix()}@example.test`;
    const before = await rowCounts();
    const e = await expectAppError(addMember({ actor, workspaceId: ws.id, input: { email, role: "MEMBER" } }), "validation_failed");
    expect(e.fields?.map((f) => f.path)).toEqual(["name", "password"]);
    const onlyName = await expectAppError(
      addMember({ actor, workspaceId: ws.id, input: { email, role: "MEMBER", name: "N" } }),
      "validation_failed",
    );
    expect(onlyName.fields?.map((f) => f.path)).toEqual(["password"]);
    expect(await rowCounts()).toEqual(before);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses someone who is already a member (conflict on email)", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { user } = await userInWorkspace("MEMBER", ws.id);
    const before = await rowCounts();
    const e = await expectAppError(addMember({ actor, workspaceId: ws.id, input: { email: user.email, role: "ADMIN" } }), "conflict");
    expect(e.fields?.[0].path).toBe("email");
    expect(await rowCounts()).toEqual(before);
    expect((await db.membership.findFirstOrThrow({ where: { workspaceId: ws.id, userId: user.id } })).role).toBe("MEMBER");
  });

  it("is refused to a Builder (forbidden) and to an Admin of another workspace (not_found)", async () => {
    const { ws, actor: builder } = await userInWorkspace("BUILDER");
    const { user } = await createUser();
    await expectAppError(addMember({ actor: builder, workspaceId: ws.id, input: { email: user.email, role: "ADMIN" } }), "forbidden");
    const { actor: otherAdmin } = await userInWorkspace("ADMIN");
    await expectAppError(addMember({ actor: otherAdmin, workspaceId: ws.id, input: { email: user.email, role: "ADMIN" } }), "not_found");
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("changeMemberRole and removeMember", () => {
  it("changes a role and records from/to", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { membership } = await userInWorkspace("MEMBER", ws.id);
    const out = await changeMemberRole({ actor, workspaceId: ws.id, memberId: membership.id, role: "BUILDER" });
    expect(out.role).toBe("BUILDER");
    expect(await db.auditEntry.findMany({ where: { targetId: membership.id, action: "member.role" } })).toEqual([
      expect.objectContaining({ changes: { role: { from: "MEMBER", to: "BUILDER" } } }),
    ]);
    // Same role again: no write, no entry.
    await changeMemberRole({ actor, workspaceId: ws.id, memberId: membership.id, role: "BUILDER" });
    expect(await db.auditEntry.count({ where: { targetId: membership.id, action: "member.role" } })).toBe(1);
  });

  it("cannot demote or remove the last Admin, even as instance admin", async () => {
    const { ws, actor, membership } = await userInWorkspace("ADMIN");
    await userInWorkspace("BUILDER", ws.id);
    await expectAppError(changeMemberRole({ actor, workspaceId: ws.id, memberId: membership.id, role: "MEMBER" }), "conflict");
    await expectAppError(removeMember({ actor, workspaceId: ws.id, memberId: membership.id }), "conflict");
    await expectAppError(removeMember({ actor: tokenActor, workspaceId: ws.id, memberId: membership.id }), "conflict");
    expect((await db.membership.findUniqueOrThrow({ where: { id: membership.id } })).role).toBe("ADMIN");
    // With a second Admin, the first may step down.
    const second = await userInWorkspace("ADMIN", ws.id);
    await changeMemberRole({ actor: second.actor, workspaceId: ws.id, memberId: membership.id, role: "MEMBER" });
    await expectAppError(removeMember({ actor: second.actor, workspaceId: ws.id, memberId: second.membership.id }), "conflict");
  });

  it("removes a member and records it", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { membership, user } = await userInWorkspace("MEMBER", ws.id);
    await removeMember({ actor, workspaceId: ws.id, memberId: membership.id });
    expect(await db.membership.count({ where: { id: membership.id } })).toBe(0);
    expect(await db.user.count({ where: { id: user.id } })).toBe(1); // the account stays
    expect(await db.auditEntry.count({ where: { targetId: membership.id, action: "member.remove" } })).toBe(1);
  });

  it("is refused to a Builder", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const { membership } = await userInWorkspace("MEMBER", ws.id);
    await expectAppError(changeMemberRole({ actor, workspaceId: ws.id, memberId: membership.id, role: "ADMIN" }), "forbidden");
    await expectAppError(removeMember({ actor, workspaceId: ws.id, memberId: membership.id }), "forbidden");
    await expectAppError(
      changeMemberRole({
        actor,
        workspaceId: ws.id,
        memberId: (await db.membership.findFirstOrThrow({ where: { workspaceId: ws.id, userId: actor.id } })).id,
        role: "ADMIN",
      }),
      "forbidden",
    );
    expect((await db.membership.findUniqueOrThrow({ where: { id: membership.id } })).role).toBe("MEMBER");
  });

  it("an Admin of workspace A cannot reach members of workspace B, even with B's member id under A", async () => {
    const a = await userInWorkspace("ADMIN");
    const b = await userInWorkspace("ADMIN");
    const victim = await userInWorkspace("MEMBER", b.ws.id);
    const before = await rowCounts();
    // B's workspace id: A's admin is not a member there.
    await expectAppError(
      changeMemberRole({ actor: a.actor, workspaceId: b.ws.id, memberId: victim.membership.id, role: "ADMIN" }),
      "not_found",
    );
    await expectAppError(removeMember({ actor: a.actor, workspaceId: b.ws.id, memberId: victim.membership.id }), "not_found");
    await expectAppError(listMembers({ actor: a.actor, workspaceId: b.ws.id, query: { limit: 50 } }), "not_found");
    // A's workspace id with B's member id: the member is not found in A.
    const e1 = await expectAppError(
      changeMemberRole({ actor: a.actor, workspaceId: a.ws.id, memberId: victim.membership.id, role: "ADMIN" }),
      "not_found",
    );
    const e2 = await expectAppError(removeMember({ actor: a.actor, workspaceId: a.ws.id, memberId: b.membership.id }), "not_found");
    expect(e1.message + e2.message).not.toContain(b.ws.name);
    expect(await rowCounts()).toEqual(before);
    expect((await db.membership.findUniqueOrThrow({ where: { id: victim.membership.id } })).role).toBe("MEMBER");
    expect(await db.membership.count({ where: { id: b.membership.id } })).toBe(1);
  });
});

describe("listMembers", () => {
  it("lists the workspace's members in join order for Admins and Builders, not for Members", async () => {
    const ws = await createWorkspace();
    const admin = await userInWorkspace("ADMIN", ws.id);
    const builder = await userInWorkspace("BUILDER", ws.id);
    const member = await userInWorkspace("MEMBER", ws.id);
    await userInWorkspace("ADMIN"); // elsewhere
    const page = await listMembers({ actor: builder.actor, workspaceId: ws.id, query: { limit: 50 } });
    expect(page.data.map((m) => m.userId)).toEqual([admin.user.id, builder.user.id, member.user.id]);
    expect(JSON.stringify(page)).not.toMatch(/passwordHash/);
    await expectAppError(listMembers({ actor: member.actor, workspaceId: ws.id, query: { limit: 50 } }), "forbidden");
  });
});
