import { describe, expect, it } from "vitest";
import { Prisma } from "../db/generated/client";
import { writeUsageRows, type UsageRow } from "./write";
import { createWorkspace, suffix } from "../testing/factories";
import { db, useTestDb } from "../testing/db";

useTestDb();

// What writeUsageRows returns for each inserted record (the metering sink and budget checks read it).
const COLUMNS = [
  "at",
  "workspaceId",
  "virtualKeyId",
  "userId",
  "agentId",
  "model",
  "platformId",
  "deploymentId",
  "outcome",
  "inputTokens",
  "outputTokens",
  "cachedTokens",
  "costUsd",
  "latencyMs",
];

describe("writeUsageRows (what it returns)", () => {
  it("skips stored and repeated request ids and returns exactly what the database holds for the rows it inserted", async () => {
    const ws = await createWorkspace();
    const already = `req_${suffix()}`;
    await db.usageRecord.create({
      data: { requestId: already, workspaceId: ws.id, model: "m", status: 200, outcome: "success", attempts: [], latencyMs: 1 },
    });
    const twice = `req_${suffix()}`;
    const rows: UsageRow[] = [
      // Defaults left out: endpoint, tokens, estimated, costUsd, streamed, ttftMs.
      {
        requestId: `req_${suffix()}`,
        at: new Date("2031-05-06T07:08:09.123Z"),
        workspaceId: ws.id,
        model: "gpt-test",
        status: 200,
        outcome: "success",
        attempts: [],
        latencyMs: 12,
      },
      {
        requestId: twice,
        at: new Date("2031-05-06T07:08:10.000Z"),
        workspaceId: ws.id,
        userId: "u1",
        model: "gpt-test",
        status: 502,
        outcome: "error",
        attempts: [{ targetType: "platform", targetName: 'a "quoted" name, with {braces}', status: 503, error: null }],
        inputTokens: 100,
        outputTokens: 20,
        cachedTokens: 5,
        costUsd: "0.123456789",
        latencyMs: 40,
        ttftMs: 7,
        streamed: true,
        estimated: true,
        endpoint: "embeddings",
      },
      { requestId: twice, workspaceId: ws.id, model: "second-copy", status: 200, outcome: "success", attempts: [], latencyMs: 1 },
      { requestId: already, workspaceId: ws.id, model: "stored-before", status: 200, outcome: "success", attempts: [], latencyMs: 1 },
      {
        requestId: `req_${suffix()}`,
        workspaceId: ws.id,
        model: "gpt-test",
        status: 200,
        outcome: "success",
        attempts: [],
        latencyMs: 3,
        costUsd: new Prisma.Decimal("0.00000001"),
      },
    ];
    const returned = (await writeUsageRows(rows)) as unknown as Record<string, unknown>[];

    expect(returned).toHaveLength(3);
    const stored = await db.usageRecord.findMany({
      where: { workspaceId: ws.id, requestId: { not: already } },
      select: Object.fromEntries(COLUMNS.map((c) => [c, true])),
      orderBy: { latencyMs: "asc" },
    });
    const byLatency = [...returned].sort((a, b) => (a.latencyMs as number) - (b.latencyMs as number));
    expect(byLatency.map((r) => ({ ...r, costUsd: (r.costUsd as Prisma.Decimal).toFixed(8) }))).toEqual(
      stored.map((r) => ({ ...r, costUsd: (r.costUsd as Prisma.Decimal).toFixed(8) })),
    );
    const extra = await db.usageRecord.findMany({
      where: { workspaceId: ws.id, requestId: { not: already } },
      select: { model: true, endpoint: true, costUsd: true, attempts: true },
      orderBy: { latencyMs: "asc" },
    });
    expect(extra[2].attempts).toEqual([{ targetType: "platform", targetName: 'a "quoted" name, with {braces}', status: 503, error: null }]);
    expect(extra.map((r) => [r.model, r.endpoint, r.costUsd.toFixed(8)])).toEqual([
      ["gpt-test", "chat.completions", "0.00000001"],
      ["gpt-test", "chat.completions", "0.00000000"],
      ["gpt-test", "embeddings", "0.12345679"],
    ]);
    expect((await db.usageRecord.findUnique({ where: { requestId: already } }))?.model).toBe("m");
  });
});
