import { describe, expect, it } from "vitest";
import { writeUsageRows } from "./write";
import { createWorkspace, usageRow } from "../testing/factories";
import { db, useTestDb } from "../testing/db";

useTestDb();

describe("writeUsageRows", () => {
  it("keeps hourly and daily rollups equal to the records, and a retried batch counts once", async () => {
    const ws = await createWorkspace();
    const rows = [
      usageRow(ws.id, { userId: "u1", inputTokens: 100, outputTokens: 20, cachedTokens: 30, costUsd: "0.00123456" }),
      usageRow(ws.id, { userId: "u1", inputTokens: 7, outputTokens: 3, costUsd: "0.00000001", at: new Date("2031-03-04T10:59:59.999Z") }),
      usageRow(ws.id, {
        userId: "u2",
        agentId: "bot",
        outcome: "error",
        status: 503,
        at: new Date("2031-03-04T11:00:00Z"),
        costUsd: "0.5",
      }),
    ];
    await writeUsageRows(rows);
    await writeUsageRows([rows[0], usageRow(ws.id, { userId: "u1", at: new Date("2031-03-05T00:00:00Z"), inputTokens: 1 })]);

    const hourU1 = await db.usageRollup.findUnique({
      where: {
        granularity_dimension_bucket_workspaceId_groupKey: {
          granularity: "hour",
          dimension: "user",
          bucket: new Date("2031-03-04T10:00:00Z"),
          workspaceId: ws.id,
          groupKey: "u1",
        },
      },
    });
    expect(hourU1).toMatchObject({ requests: 2, errors: 0, inputTokens: 107n, outputTokens: 23n, cachedTokens: 30n, latencyMsSum: 80n });
    expect(hourU1!.costUsd.toFixed(8)).toBe("0.00123457");

    const days = await db.usageRollup.findMany({
      where: { workspaceId: ws.id, granularity: "day", dimension: "workspace" },
      orderBy: { bucket: "asc" },
    });
    expect(days.map((d) => [d.bucket.toISOString(), d.requests, d.errors, d.costUsd.toFixed(8)])).toEqual([
      ["2031-03-04T00:00:00.000Z", 3, 1, "0.50123457"],
      ["2031-03-05T00:00:00.000Z", 1, 0, "0.00000000"],
    ]);
    const agents = await db.usageRollup.findMany({
      where: { workspaceId: ws.id, granularity: "day", dimension: "agent", bucket: new Date("2031-03-04T00:00:00Z") },
      orderBy: { groupKey: "asc" },
    });
    expect(agents.map((a) => [a.groupKey, a.requests])).toEqual([
      ["", 2],
      ["bot", 1],
    ]);
    expect(await db.usageRecord.count({ where: { workspaceId: ws.id } })).toBe(4);
  });
});
