import { describe, expect, it } from "vitest";
import { writeUsageRows, type UsageRow } from "./write";
import { ORPHANED, pruneCallRecords, pruneUsageRecords, updateUsageSettings, getUsageSettings } from "./retention";
import { usageReport } from "./report";
import { usageReportQuerySchema, usageSettingsSchema } from "../schemas/usage";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { expectAppError } from "../testing/errors";
import { db, useTestDb } from "../testing/db";

useTestDb();

const DAY = 86_400_000;
const NOW = new Date("2035-06-30T12:00:00Z");

const rows = (workspaceId: string, ages: number[]): UsageRow[] =>
  ages.map((days, i) => ({
    requestId: `ret_${suffix()}_${i}`,
    at: new Date(NOW.getTime() - days * DAY),
    workspaceId,
    model: "m",
    status: 200,
    outcome: "success",
    attempts: [],
    inputTokens: 10,
    costUsd: "0.00000100",
    latencyMs: 5,
  }));

describe("usage retention", () => {
  it("deletes raw records older than each workspace's retention, in batches, and keeps the rollups", async () => {
    const short = await createWorkspace();
    const long = await createWorkspace();
    await db.workspace.update({ where: { id: short.id }, data: { usageRetentionDays: 7 } });
    await writeUsageRows(rows(short.id, [1, 6.9, 7.1, 8, 30, 31, 40]));
    await writeUsageRows(rows(long.id, [1, 8, 89, 91]));

    const deleted = await pruneUsageRecords({ now: NOW, batchSize: 2, workspaceIds: [short.id, long.id] });
    expect(deleted[short.id]).toBe(5);
    expect(deleted[long.id]).toBe(1);
    const left = async (ws: string) =>
      (await db.usageRecord.findMany({ where: { workspaceId: ws }, orderBy: { at: "desc" } })).map(
        (r) => Math.round(((NOW.getTime() - r.at.getTime()) / DAY) * 10) / 10,
      );
    expect(await left(short.id)).toEqual([1, 6.9]);
    expect(await left(long.id)).toEqual([1, 8, 89]);
    // Running again deletes nothing more.
    expect((await pruneUsageRecords({ now: NOW, workspaceIds: [short.id, long.id] }))[short.id]).toBeUndefined();

    // Rollups still answer for the pruned range: all 7 requests of the short-retention workspace.
    const r = await usageReport({
      actor: tokenActor,
      input: usageReportQuerySchema.parse({
        workspaceId: short.id,
        groupBy: "model",
        from: new Date(NOW.getTime() - 41 * DAY).toISOString(),
        to: NOW.toISOString(),
      }),
    });
    expect(r.totals.requests).toBe(7);
    expect(r.totals.costUsd).toBe("0.00000700");
  });

  it("deletes the records of deleted workspaces after the default 90 days", async () => {
    const gone = `ws-gone-${suffix()}`;
    await writeUsageRows(rows(gone, [10, 95]));
    const deleted = await pruneUsageRecords({ now: NOW });
    expect(deleted[ORPHANED]).toBeGreaterThanOrEqual(1);
    const left = await db.usageRecord.findMany({ where: { workspaceId: gone } });
    expect(left.map((r) => Math.round((NOW.getTime() - r.at.getTime()) / DAY))).toEqual([10]);
  });

  it("is changed by Admins only, with an audit entry, within 1..3650 days", async () => {
    const admin = await userInWorkspace("ADMIN");
    const builder = await userInWorkspace("BUILDER", admin.ws.id);
    expect(await getUsageSettings({ actor: builder.actor, workspaceId: admin.ws.id })).toEqual({
      workspaceId: admin.ws.id,
      usageRetentionDays: 90,
    });
    await expectAppError(
      updateUsageSettings({ actor: builder.actor, workspaceId: admin.ws.id, input: { usageRetentionDays: 10 } }),
      "forbidden",
    );
    expect(await updateUsageSettings({ actor: admin.actor, workspaceId: admin.ws.id, input: { usageRetentionDays: 30 } })).toEqual({
      workspaceId: admin.ws.id,
      usageRetentionDays: 30,
    });
    const audit = await db.auditEntry.findFirst({
      where: { workspaceId: admin.ws.id, action: "workspace.update" },
      orderBy: { at: "desc" },
    });
    expect(audit?.changes).toEqual({ usageRetentionDays: { from: 90, to: 30 } });
    expect(usageSettingsSchema.safeParse({ usageRetentionDays: 0 }).success).toBe(false);
    expect(usageSettingsSchema.safeParse({ usageRetentionDays: 3651 }).success).toBe(false);
    expect(usageSettingsSchema.safeParse({ usageRetentionDays: 1.5 }).success).toBe(false);
    expect(usageSettingsSchema.safeParse({ usageRetentionDays: 3650 }).success).toBe(true);
  });

  it("is managed by configuration files (workspaces[].usageRetentionDays)", async () => {
    const name = `ret-${suffix()}`;
    await applyConfig({ actor: tokenActor, doc: { workspaces: [{ name, usageRetentionDays: 14 }] } });
    let ws = await db.workspace.findFirstOrThrow({ where: { name } });
    expect(ws.usageRetentionDays).toBe(14);
    await applyConfig({ actor: tokenActor, doc: { workspaces: [{ name, usageRetentionDays: 400 }] } });
    ws = await db.workspace.findFirstOrThrow({ where: { name } });
    expect(ws.usageRetentionDays).toBe(400);
    const exported = await exportConfig({ actor: tokenActor });
    expect(exported.workspaces).toContainEqual(expect.objectContaining({ name, usageRetentionDays: 400 }));
    await expect(applyConfig({ actor: tokenActor, doc: { workspaces: [{ name, usageRetentionDays: 0 }] } })).rejects.toThrow();
  });
});

describe("call record retention", () => {
  it("deletes connector and MCP call records older than the workspace's retention and keeps the rest", async () => {
    const ws = await createWorkspace();
    const other = await createWorkspace();
    await db.workspace.update({ where: { id: ws.id }, data: { usageRetentionDays: 7 } });
    const seed = async (workspaceId: string, ages: number[]) => {
      const provider = await db.provider.create({ data: { workspaceId, name: `p-${suffix()}` } });
      const connector = await db.connector.create({
        data: { workspaceId, providerId: provider.id, name: `c-${suffix()}`, baseUrl: "https://api.example.com", authMode: "api-key" },
      });
      const server = await db.mcpServer.create({
        data: { workspaceId, name: `m-${suffix()}`, transport: "streamable-http", url: "https://mcp.example.com/mcp" },
      });
      for (const days of ages) {
        const createdAt = new Date(NOW.getTime() - days * DAY);
        await db.connectorCall.create({
          data: {
            workspaceId,
            connectorId: connector.id,
            operationId: "op",
            method: "GET",
            path: "/",
            outcome: "ok",
            latencyMs: 1,
            createdAt,
          },
        });
        await db.mcpCall.create({ data: { workspaceId, serverId: server.id, tool: "echo", outcome: "ok", latencyMs: 1, createdAt } });
      }
    };
    await seed(ws.id, [1, 6.9, 7.1, 30]);
    await seed(other.id, [1, 30, 91]);

    const deleted = await pruneCallRecords({ now: NOW, batchSize: 1, workspaceIds: [ws.id, other.id] });
    expect(deleted).toEqual({ ConnectorCall: 3, McpCall: 3 });
    const ages = async (workspaceId: string) => ({
      connector: (await db.connectorCall.findMany({ where: { workspaceId }, orderBy: { createdAt: "desc" } })).map(
        (r) => Math.round(((NOW.getTime() - r.createdAt.getTime()) / DAY) * 10) / 10,
      ),
      mcp: (await db.mcpCall.findMany({ where: { workspaceId }, orderBy: { createdAt: "desc" } })).map(
        (r) => Math.round(((NOW.getTime() - r.createdAt.getTime()) / DAY) * 10) / 10,
      ),
    });
    expect(await ages(ws.id)).toEqual({ connector: [1, 6.9], mcp: [1, 6.9] });
    expect(await ages(other.id)).toEqual({ connector: [1, 30], mcp: [1, 30] });
    expect(await pruneCallRecords({ now: NOW, workspaceIds: [ws.id, other.id] })).toEqual({ ConnectorCall: 0, McpCall: 0 });
  });
});
