import { describe, expect, it } from "vitest";
import { createWorkspace } from "./create-workspace";
import { deleteWorkspace } from "./delete-workspace";
import { getWorkspace } from "./get-workspace";
import { listWorkspaces } from "./list-workspaces";
import { updateWorkspace } from "./update-workspace";
import { createUser, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { db, rowCounts, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { createVirtualKey } from "../virtual-keys/create-key";
import { readGatewayVersion } from "../gateway/version";

useTestDb();
const list = (actor: Parameters<typeof listWorkspaces>[0]["actor"], q: string) => listWorkspaces({ actor, query: { limit: 50, q } });

describe("createWorkspace", () => {
  it("makes the creating instance admin its Admin and writes an audit entry", async () => {
    const { actor } = await createUser({ isInstanceAdmin: true });
    const name = `Team ${suffix()}`;
    const ws = await createWorkspace({ actor, input: { name, description: "Our team" }, requestId: "req_create_1" });
    expect(ws).toMatchObject({ name, description: "Our team", role: "ADMIN", slug: name.toLowerCase().replace(" ", "-") });
    const m = await db.membership.findMany({ where: { workspaceId: ws.id } });
    expect(m).toEqual([expect.objectContaining({ userId: actor.id, role: "ADMIN" })]);
    const audit = await db.auditEntry.findMany({ where: { targetId: ws.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: "workspace.create",
        actorType: "user",
        actorId: actor.id,
        actorLabel: actor.email,
        workspaceId: ws.id,
        requestId: "req_create_1",
        changes: { name: { from: null, to: name }, description: { from: null, to: "Our team" } },
      }),
    ]);
  });

  it("gives a second workspace with a similar name its own slug", async () => {
    const s = suffix();
    const a = await createWorkspace({ actor: tokenActor, input: { name: `Slug ${s}`, description: "" } });
    const b = await createWorkspace({ actor: tokenActor, input: { name: `Slug.${s}`, description: "" } });
    expect(a.slug).toBe(`slug-${s}`);
    expect(b.slug).toBe(`slug-${s}-2`);
  });

  it("refuses a duplicate name case-insensitively, on field name, writing nothing", async () => {
    const { actor } = await createUser({ isInstanceAdmin: true });
    const name = `Dup ${suffix()}`;
    await createWorkspace({ actor, input: { name, description: "" } });
    const before = await rowCounts();
    const e = await expectAppError(createWorkspace({ actor, input: { name: name.toUpperCase(), description: "" } }), "conflict");
    expect(e.fields).toEqual([{ path: "name", message: expect.any(String) }]);
    expect(await rowCounts()).toEqual(before);
  });

  it("is for instance admins only", async () => {
    const { actor } = await userInWorkspace("ADMIN");
    const name = `Nope ${suffix()}`;
    await expectAppError(createWorkspace({ actor, input: { name, description: "" } }), "forbidden");
    expect(await db.workspace.count({ where: { name } })).toBe(0);
  });
});

describe("listWorkspaces and getWorkspace", () => {
  it("shows a person only the workspaces they belong to, with their role; an instance admin sees all", async () => {
    const s = suffix();
    const mine = await createWorkspace({ actor: tokenActor, input: { name: `List ${s} mine`, description: "" } });
    const other = await createWorkspace({ actor: tokenActor, input: { name: `List ${s} other`, description: "" } });
    const { actor } = await userInWorkspace("BUILDER", mine.id);
    const seen = await list(actor, s);
    expect(seen.data.map((w) => [w.id, w.role])).toEqual([[mine.id, "BUILDER"]]);
    const outsider = await createUser();
    expect((await list(outsider.actor, s)).data).toEqual([]);
    const admin = await createUser({ isInstanceAdmin: true });
    expect((await list(admin.actor, s)).data.map((w) => w.id)).toEqual([mine.id, other.id]);
    expect((await list(tokenActor, s)).data.map((w) => w.id)).toEqual([mine.id, other.id]);
  });

  it("pages by cursor without repeats or gaps", async () => {
    const s = suffix();
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await createWorkspace({ actor: tokenActor, input: { name: `Page ${s} ${i}`, description: "" } })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 5; n++) {
      const page = await listWorkspaces({ actor: tokenActor, query: { limit: 2, q: `Page ${s}`, cursor } });
      seen.push(...page.data.map((w) => w.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(ids);
  });

  it("answers not_found to a non-member, whether asked by id or slug", async () => {
    const { ws } = await userInWorkspace("ADMIN");
    const outsider = await createUser();
    await expectAppError(getWorkspace({ actor: outsider.actor, idOrSlug: ws.id }), "not_found");
    await expectAppError(getWorkspace({ actor: outsider.actor, idOrSlug: ws.slug }), "not_found");
    const member = await userInWorkspace("MEMBER", ws.id);
    expect(await getWorkspace({ actor: member.actor, idOrSlug: ws.slug })).toMatchObject({ id: ws.id, role: "MEMBER", memberCount: 2 });
  });
});

describe("updateWorkspace", () => {
  it("writes one audit entry with only the changed fields", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const out = await updateWorkspace({ actor, workspaceId: ws.id, input: { name: ws.name, description: "New words" } });
    expect(out).toMatchObject({ name: ws.name, description: "New words" });
    const audit = await db.auditEntry.findMany({ where: { targetId: ws.id, action: "workspace.update" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].changes).toEqual({ description: { from: "", to: "New words" } });
    // No change: no entry.
    await updateWorkspace({ actor, workspaceId: ws.id, input: { description: "New words" } });
    expect(await db.auditEntry.count({ where: { targetId: ws.id, action: "workspace.update" } })).toBe(1);
  });

  it("refuses a name another workspace has (any case), and allows re-casing its own", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const other = await createWorkspace({ actor: tokenActor, input: { name: `Taken ${suffix()}`, description: "" } });
    const e = await expectAppError(updateWorkspace({ actor, workspaceId: ws.id, input: { name: other.name.toLowerCase() } }), "conflict");
    expect(e.fields?.[0].path).toBe("name");
    expect((await db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).name).toBe(ws.name);
    await expect(updateWorkspace({ actor, workspaceId: ws.id, input: { name: ws.name.toUpperCase() } })).resolves.toMatchObject({
      name: ws.name.toUpperCase(),
    });
  });

  it("is refused to a Builder (forbidden) and to a non-member (not_found), changing nothing", async () => {
    const { ws, actor: builder } = await userInWorkspace("BUILDER");
    await expectAppError(updateWorkspace({ actor: builder, workspaceId: ws.id, input: { description: "hack" } }), "forbidden");
    const { actor: adminElsewhere } = await userInWorkspace("ADMIN");
    await expectAppError(updateWorkspace({ actor: adminElsewhere, workspaceId: ws.id, input: { description: "hack" } }), "not_found");
    expect((await db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).description).toBe("");
    expect(await db.auditEntry.count({ where: { targetId: ws.id } })).toBe(0);
  });
});

describe("deleteWorkspace", () => {
  it("is refused to the workspace's own Admin and to outsiders", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    await expectAppError(deleteWorkspace({ actor, workspaceId: ws.id }), "forbidden");
    const outsider = await createUser();
    await expectAppError(deleteWorkspace({ actor: outsider.actor, workspaceId: ws.id }), "not_found");
    expect(await db.workspace.count({ where: { id: ws.id } })).toBe(1);
  });

  it("lets an instance admin delete it with its memberships and an audit entry", async () => {
    const { ws } = await userInWorkspace("ADMIN");
    const { actor } = await createUser({ isInstanceAdmin: true });
    await deleteWorkspace({ actor, workspaceId: ws.id });
    expect(await db.workspace.count({ where: { id: ws.id } })).toBe(0);
    expect(await db.membership.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect(await db.auditEntry.findMany({ where: { targetId: ws.id, action: "workspace.delete" } })).toEqual([
      expect.objectContaining({ actorId: actor.id, changes: { name: { from: ws.name, to: null } } }),
    ]);
    await expectAppError(deleteWorkspace({ actor, workspaceId: ws.id }), "not_found");
  });

  it("revokes the workspace's API keys in the same write, so they stop working at the gateway", async () => {
    const { ws, actor: wsAdmin } = await userInWorkspace("ADMIN");
    const { key } = await createVirtualKey({ actor: wsAdmin, workspaceId: ws.id, input: { name: "bot", owner: "", allowedModels: [] } });
    const { actor } = await createUser({ isInstanceAdmin: true });
    const before = await readGatewayVersion(db);
    await deleteWorkspace({ actor, workspaceId: ws.id });
    expect((await db.virtualKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeInstanceOf(Date);
    expect(await readGatewayVersion(db)).toBeGreaterThan(before);
  });
});
