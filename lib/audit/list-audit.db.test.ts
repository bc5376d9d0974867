import { describe, expect, it } from "vitest";
import { listAudit } from "./list-audit";
import { recordAudit } from "./record";
import { auditQuerySchema } from "../schemas/audit";
import type { Actor } from "../auth/actor";
import { createUser, createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { db, useTestDb } from "../testing/db";

useTestDb();
const q = (input: Record<string, unknown>) => auditQuerySchema.parse(input);

async function entry(workspaceId: string | null, action: string, actor: Actor, at?: Date) {
  await recordAudit(db, { actor, action, targetType: "test", targetLabel: action, workspaceId });
  if (at) {
    const row = await db.auditEntry.findFirstOrThrow({ where: { action, workspaceId }, orderBy: { at: "desc" } });
    await db.auditEntry.update({ where: { id: row.id }, data: { at } });
  }
}

describe("listAudit", () => {
  it("shows a workspace Admin only the entries of workspaces they administer", async () => {
    const mine = await userInWorkspace("ADMIN");
    const builderWs = await createWorkspace();
    await db.membership.create({ data: { workspaceId: builderWs.id, userId: mine.user.id, role: "BUILDER" } });
    const other = await createWorkspace();
    const s = suffix();
    await entry(mine.ws.id, `t${s}.mine`, tokenActor);
    await entry(builderWs.id, `t${s}.builder`, tokenActor);
    await entry(other.id, `t${s}.other`, tokenActor);
    await entry(null, `t${s}.instance`, tokenActor);

    const seen = await listAudit(mine.actor, q({ action: `t${s}.` }));
    expect(seen.data.map((e) => e.action)).toEqual([`t${s}.mine`]);
    // Asking for another workspace by id gives nothing, not an error that confirms it exists.
    expect((await listAudit(mine.actor, q({ workspaceId: other.id }))).data).toEqual([]);
    expect((await listAudit(mine.actor, q({ workspaceId: builderWs.id }))).data).toEqual([]);
    expect((await listAudit(mine.actor, q({ workspaceId: mine.ws.id, action: `t${s}.` }))).data).toHaveLength(1);
    // A Member or an outsider sees nothing.
    const outsider = await createUser();
    expect((await listAudit(outsider.actor, q({ action: `t${s}.` }))).data).toEqual([]);
    // The instance admin sees all four.
    const admin = await createUser({ isInstanceAdmin: true });
    expect((await listAudit(admin.actor, q({ action: `t${s}.` }))).data).toHaveLength(4);
  });

  it("filters by actor type, action prefix and time range", async () => {
    const ws = await createWorkspace();
    const { actor: user } = await createUser();
    const s = suffix();
    const config: Actor = { type: "config", source: "file.yaml" };
    await entry(ws.id, `f${s}.alpha.one`, user, new Date("2030-01-01T00:00:00Z"));
    await entry(ws.id, `f${s}.alpha.two`, config, new Date("2030-01-02T00:00:00Z"));
    await entry(ws.id, `f${s}.beta`, user, new Date("2030-01-03T00:00:00Z"));
    const actions = async (input: Record<string, unknown>) =>
      (await listAudit(tokenActor, q({ workspaceId: ws.id, ...input }))).data.map((e) => e.action);

    expect(await actions({})).toEqual([`f${s}.beta`, `f${s}.alpha.two`, `f${s}.alpha.one`]);
    expect(await actions({ actorType: "user" })).toEqual([`f${s}.beta`, `f${s}.alpha.one`]);
    expect(await actions({ actorType: "config" })).toEqual([`f${s}.alpha.two`]);
    expect(await actions({ action: `f${s}.alpha` })).toEqual([`f${s}.alpha.two`, `f${s}.alpha.one`]);
    expect(await actions({ from: "2030-01-02T00:00:00Z" })).toEqual([`f${s}.beta`, `f${s}.alpha.two`]);
    expect(await actions({ to: "2030-01-02T00:00:00Z" })).toEqual([`f${s}.alpha.two`, `f${s}.alpha.one`]);
    expect(await actions({ from: "2030-01-01T12:00:00Z", to: "2030-01-02T12:00:00Z" })).toEqual([`f${s}.alpha.two`]);
    expect(await actions({ q: user.email })).toEqual([`f${s}.beta`, `f${s}.alpha.one`]);
  });

  it("pages newest first through a cursor without repeats or gaps", async () => {
    const ws = await createWorkspace();
    const s = suffix();
    for (let i = 0; i < 5; i++) await entry(ws.id, `p${s}.${i}`, tokenActor, new Date(Date.UTC(2031, 0, 1 + i)));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAudit(tokenActor, q({ workspaceId: ws.id, limit: 2, ...(cursor ? { cursor } : {}) }));
      seen.push(...page.data.map((e) => e.action));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => `p${s}.${i}`));
  });
});
