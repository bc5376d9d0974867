import { describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, suffix, userInWorkspace } from "../testing/factories";
import { workspaceLoggingSchema } from "../schemas/workspace-logging";
import { pruneRequestBodies } from "../gateway/prune-bodies";
import { buildSnapshot } from "../gateway/snapshot";
import { readGatewayVersion } from "../gateway/version";
import { getRequestBodies } from "../usage/get-request-bodies";
import { getLoggingSettings, updateLoggingSettings } from "./logging-settings";

useTestDb();

const DAY = 86_400_000;

describe("workspace logging settings", () => {
  it("an Admin turns body storage on with a retention; audited, the gateway snapshot follows", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    expect(await getLoggingSettings({ actor, workspaceId: ws.id })).toEqual({
      workspaceId: ws.id,
      storeBodies: false,
      bodyRetentionDays: 7,
    });
    const v0 = await readGatewayVersion(db);
    const out = await updateLoggingSettings({ actor, workspaceId: ws.id, input: { storeBodies: true, bodyRetentionDays: 30 } });
    expect(out).toEqual({ workspaceId: ws.id, storeBodies: true, bodyRetentionDays: 30 });
    expect(await readGatewayVersion(db)).toBeGreaterThan(v0);
    expect((await buildSnapshot(db)).storeBodies.has(ws.id)).toBe(true);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { workspaceId: ws.id, action: "workspace.logging.update" } });
    expect(audit.changes).toMatchObject({ storeBodies: { from: false, to: true }, bodyRetentionDays: { from: 7, to: 30 } });
  });

  it("Builders may read but not change it; another workspace's Admin finds nothing", async () => {
    const { ws, actor: builder } = await userInWorkspace("BUILDER");
    await expect(updateLoggingSettings({ actor: builder, workspaceId: ws.id, input: { storeBodies: true } })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await getLoggingSettings({ actor: builder, workspaceId: ws.id })).storeBodies).toBe(false);
    const { actor: stranger } = await userInWorkspace("ADMIN");
    await expect(updateLoggingSettings({ actor: stranger, workspaceId: ws.id, input: { storeBodies: true } })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).storeBodies).toBe(false);
  });

  it("validates the retention: 1 to 365 whole days", () => {
    for (const bad of [0, 366, 1.5, -3]) expect(workspaceLoggingSchema.safeParse({ bodyRetentionDays: bad }).success).toBe(false);
    for (const good of [1, 7, 365]) expect(workspaceLoggingSchema.safeParse({ bodyRetentionDays: good }).success).toBe(true);
    expect(workspaceLoggingSchema.safeParse({ storeBodies: true, other: 1 }).success).toBe(false);
  });
});

describe("stored bodies", () => {
  it("the cleanup deletes bodies older than each workspace's retention and keeps the rest", async () => {
    const short = await createWorkspace();
    const long = await createWorkspace();
    await db.workspace.update({ where: { id: short.id }, data: { storeBodies: true, bodyRetentionDays: 1 } });
    await db.workspace.update({ where: { id: long.id }, data: { storeBodies: true, bodyRetentionDays: 30 } });
    const now = new Date();
    const s = suffix();
    const rows = [
      { requestId: `old-short-${s}`, workspaceId: short.id, at: new Date(now.getTime() - 2 * DAY) },
      { requestId: `new-short-${s}`, workspaceId: short.id, at: new Date(now.getTime() - 0.5 * DAY) },
      { requestId: `mid-long-${s}`, workspaceId: long.id, at: new Date(now.getTime() - 10 * DAY) },
      { requestId: `old-long-${s}`, workspaceId: long.id, at: new Date(now.getTime() - 31 * DAY) },
    ];
    await db.requestBody.createMany({ data: rows.map((r) => ({ ...r, request: "{}", response: "{}" })) });
    expect(await pruneRequestBodies(now)).toBeGreaterThanOrEqual(2);
    const left = (await db.requestBody.findMany({ where: { requestId: { in: rows.map((r) => r.requestId) } } }))
      .map((r) => r.requestId)
      .sort();
    expect(left).toEqual([`mid-long-${s}`, `new-short-${s}`]);
  });

  it("are read per workspace: a request id of another workspace is not shown", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const other = await createWorkspace();
    const s = suffix();
    await db.requestBody.createMany({
      data: [
        { requestId: `mine-${s}`, workspaceId: ws.id, request: '{"model":"m"}', response: '{"ok":1}', truncated: true },
        { requestId: `theirs-${s}`, workspaceId: other.id, request: "{}", response: "{}" },
      ],
    });
    const mine = await getRequestBodies({ actor, input: { workspaceId: ws.id, requestId: `mine-${s}` } });
    expect(mine).toMatchObject({ storeBodies: false, bodies: { request: '{"model":"m"}', response: '{"ok":1}', truncated: true } });
    expect((await getRequestBodies({ actor, input: { workspaceId: ws.id, requestId: `theirs-${s}` } })).bodies).toBeNull();
    await expect(getRequestBodies({ actor, input: { workspaceId: other.id, requestId: `theirs-${s}` } })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
