import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { BufferedUsageSink } from "../gateway/metering";
import type { UsageEvent } from "../gateway/types";
import { usageDeadLetterQuerySchema } from "../schemas/usage";
import { expectAppError } from "../testing/errors";
import { createWorkspace, tokenActor, usageRow, userInWorkspace } from "../testing/factories";
import { db, useTestDb } from "../testing/db";
import { writeUsageRows } from "./write";
import { listDeadLetters } from "./list-dead-letters";
import { pruneDeadLetters } from "./prune-dead-letters";
import { writeUsageBatch } from "./write-batch";

useTestDb();

const event = (workspaceId: string, data: Partial<UsageEvent> = {}): UsageEvent => ({
  requestId: `req_${crypto.randomBytes(8).toString("hex")}`,
  at: new Date("2031-05-06T07:08:09Z"),
  workspaceId,
  virtualKeyId: null,
  userId: "good-user",
  agentId: null,
  model: "m",
  modelId: null,
  platformId: null,
  deploymentId: null,
  upstreamModel: null,
  endpoint: "chat.completions",
  status: 200,
  outcome: "success",
  errorCode: null,
  attempts: [],
  usage: { inputTokens: 3, outputTokens: 4, cachedTokens: 0 },
  estimated: false,
  costUsd: 0.00000285,
  latencyMs: 12,
  ttftMs: null,
  streamed: false,
  ...data,
});

async function counted(workspaceId: string) {
  const [records, rollup, deadLetters] = await Promise.all([
    db.usageRecord.count({ where: { workspaceId } }),
    db.usageRollup.aggregate({ where: { workspaceId, granularity: "day", dimension: "workspace" }, _sum: { requests: true } }),
    db.usageDeadLetter.findMany({ where: { workspaceId }, orderBy: { requestId: "asc" } }),
  ]);
  return { records, rolledUp: rollup._sum.requests ?? 0, deadLetters };
}

describe("one caller's bytes cannot stop metering", () => {
  it("records sent through the real sink are all written when one carries a NUL, a lone surrogate and a huge user id", async () => {
    const ws = await createWorkspace();
    const sink = new BufferedUsageSink();
    const poison = [
      event(ws.id, { userId: "bad\u0000user" }),
      event(ws.id, { agentId: "agent\uD800", userId: "u".repeat(5000) }),
      event(ws.id, {
        model: "m\u0000",
        errorCode: "code\u0000",
        status: 400,
        outcome: "error",
        attempts: [
          {
            targetType: "platform",
            targetId: "p1",
            targetName: "P\u0000",
            upstreamModel: "up\uDC00",
            via: "k1",
            status: 400,
            error: "upstream said \u0000\uD83D",
            latencyMs: 5,
          },
        ],
      }),
    ];
    const good = Array.from({ length: 40 }, () => event(ws.id));
    for (const e of [...good.slice(0, 20), ...poison, ...good.slice(20)]) sink.record(e);
    await sink.flush();

    expect(sink.pending).toBe(0);
    expect(await counted(ws.id)).toEqual({ records: 43, rolledUp: 43, deadLetters: [] });
    const bad = await db.usageRecord.findUniqueOrThrow({ where: { requestId: poison[0].requestId } });
    expect(bad.userId).toBe("bad\uFFFDuser");
    const long = await db.usageRecord.findUniqueOrThrow({ where: { requestId: poison[1].requestId } });
    expect([long.userId?.length, long.agentId]).toEqual([256, "agent\uFFFD"]);
    const failed = await db.usageRecord.findUniqueOrThrow({ where: { requestId: poison[2].requestId } });
    expect([failed.model, failed.errorCode, failed.attempts]).toEqual([
      "m\uFFFD",
      "code\uFFFD",
      [
        {
          targetType: "platform",
          targetId: "p1",
          targetName: "P\uFFFD",
          upstreamModel: "up\uFFFD",
          via: "k1",
          status: 400,
          error: "upstream said \uFFFD\uFFFD",
          latencyMs: 5,
        },
      ],
    ]);
  });

  it("a record the database refuses through the sink is set aside and the rest are written", async () => {
    const ws = await createWorkspace();
    const sink = new BufferedUsageSink();
    // 3e9 tokens does not fit the int column: a data error (22003) no text cleaning can prevent.
    const refused = event(ws.id, { usage: { inputTokens: 3e9, outputTokens: 0, cachedTokens: 0 } });
    const good = Array.from({ length: 30 }, () => event(ws.id));
    for (const e of [...good.slice(0, 7), refused, ...good.slice(7)]) sink.record(e);
    await sink.flush();

    expect(sink.pending).toBe(0);
    const c = await counted(ws.id);
    expect([c.records, c.rolledUp]).toEqual([30, 30]);
    expect(c.deadLetters.map((d) => [d.requestId, d.reason.slice(0, 6)])).toEqual([[refused.requestId, "22003:"]]);
    expect(JSON.parse(c.deadLetters[0].record)).toMatchObject({ requestId: refused.requestId, inputTokens: 3e9, userId: "good-user" });
  });

  it("rows the database refuses become dead letters while the rest commit, on the COPY and the INSERT path, and a retry adds nothing twice", async () => {
    const ws = await createWorkspace();
    const stored = usageRow(ws.id);
    await writeUsageRows([stored]);
    const bad = [
      usageRow(ws.id, { userId: "bad\u0000user" }),
      usageRow(ws.id, { attempts: [{ error: "nul \u0000 in jsonb" }] }),
      usageRow(ws.id, { attempts: [{ error: "lone \uDC00 surrogate" }] }),
      usageRow(ws.id, { costUsd: "NaN" }),
    ];
    const good = Array.from({ length: 20 }, () => usageRow(ws.id));
    // A stored request id sends the embedded database's COPY to the INSERT ... ON CONFLICT path.
    const batches = [
      [...good.slice(0, 10), bad[0], bad[1]],
      [stored, ...good.slice(10), bad[2], bad[3]],
    ];
    for (const batch of batches) await writeUsageBatch(batch);
    for (const batch of batches) await writeUsageBatch(batch);

    const c = await counted(ws.id);
    expect([c.records, c.rolledUp]).toEqual([21, 21]);
    const byId = new Map(c.deadLetters.map((d) => [d.requestId, d]));
    expect([...byId.keys()].sort()).toEqual(bad.map((r) => r.requestId).sort());
    expect(byId.get(bad[0].requestId)!.reason).toMatch(/^22021: invalid byte sequence for encoding "UTF8": 0x00/);
    expect(byId.get(bad[1].requestId)!.reason).toMatch(/^22P05: /);
    expect(byId.get(bad[2].requestId)!.reason).toMatch(/^22P02: /);
    expect(byId.get(bad[3].requestId)!.reason).toMatch(/^SyntaxError: /);
    expect(JSON.parse(byId.get(bad[0].requestId)!.record).userId).toBe("bad\u0000user");
  });
});

describe("a transient failure", () => {
  const trigger = `"usage_fault_test"`;
  afterEach(async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${trigger} ON "UsageRecord"`);
  });

  it("keeps the batch queued (nothing set aside) until the database takes it", async () => {
    const ws = await createWorkspace();
    // The database refusing this workspace's rows with connection_failure (08006), as if it went away mid-write.
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION usage_fault_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."workspaceId" = '${ws.id}' THEN RAISE EXCEPTION 'connection lost' USING ERRCODE = '08006'; END IF; RETURN NEW; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON "UsageRecord" FOR EACH ROW EXECUTE FUNCTION usage_fault_test()`);
    const sink = new BufferedUsageSink();
    const events = [event(ws.id), event(ws.id, { userId: "bad\u0000user" }), event(ws.id)];
    for (const e of events) sink.record(e);

    await sink.flush();
    await sink.flush();
    expect(sink.pending).toBe(3);
    expect(await counted(ws.id)).toEqual({ records: 0, rolledUp: 0, deadLetters: [] });

    await db.$executeRawUnsafe(`DROP TRIGGER ${trigger} ON "UsageRecord"`);
    await sink.flush();
    expect(sink.pending).toBe(0);
    expect(await counted(ws.id)).toEqual({ records: 3, rolledUp: 3, deadLetters: [] });
  });
});

describe("listDeadLetters", () => {
  it("shows a workspace's dead letters to its Admins, newest first and paged, and to nobody else", async () => {
    const admin = await userInWorkspace("ADMIN");
    const builder = await userInWorkspace("BUILDER", admin.ws.id);
    const other = await userInWorkspace("ADMIN");
    const first = usageRow(admin.ws.id, { userId: "bad\u0000user", model: "gpt-x", costUsd: "0.00001234" });
    await writeUsageBatch([first, usageRow(admin.ws.id)]);
    const second = usageRow(admin.ws.id, { latencyMs: 3e9 });
    await writeUsageBatch([second]);
    await writeUsageBatch([usageRow(other.ws.id, { agentId: "\u0000" })]);

    const q = (input: Record<string, unknown>) => usageDeadLetterQuerySchema.parse(input);
    const page1 = await listDeadLetters({ actor: admin.actor, input: q({ workspaceId: admin.ws.id, limit: 1 }) });
    expect(page1.data.map((d) => d.requestId)).toEqual([second.requestId]);
    const page2 = await listDeadLetters({ actor: admin.actor, input: q({ workspaceId: admin.ws.id, limit: 1, cursor: page1.nextCursor }) });
    expect(page2).toMatchObject({
      nextCursor: null,
      data: [
        {
          requestId: first.requestId,
          workspaceId: admin.ws.id,
          model: "gpt-x",
          userId: "bad\u0000user",
          status: 200,
          costUsd: "0.00001234",
          requestAt: "2031-03-04T10:15:00.000Z",
        },
      ],
    });
    expect(page2.data[0].reason).toMatch(/^22021: /);
    expect(page2.data[0].record).toMatchObject({ requestId: first.requestId, latencyMs: 40 });
    // Listed to a token like every admin API list.
    expect((await listDeadLetters({ actor: tokenActor, input: q({ workspaceId: other.ws.id }) })).data).toHaveLength(1);

    await expectAppError(listDeadLetters({ actor: builder.actor, input: q({ workspaceId: admin.ws.id }) }), "forbidden");
    await expectAppError(listDeadLetters({ actor: other.actor, input: q({ workspaceId: admin.ws.id }) }), "not_found");
  });
});

describe("pruneDeadLetters", () => {
  it("deletes dead letters past their workspace's retention, and a deleted workspace's after 90 days", async () => {
    const now = new Date("2035-06-30T12:00:00Z");
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const short = await createWorkspace();
    await db.workspace.update({ where: { id: short.id }, data: { usageRetentionDays: 7 } });
    const gone = `ws_deleted_${crypto.randomBytes(4).toString("hex")}`;
    const letter = (workspaceId: string, days: number) => ({
      requestId: `dl_${crypto.randomBytes(6).toString("hex")}`,
      workspaceId,
      at: ago(days),
      reason: "22021: x",
      record: "{}",
    });
    const kept = [letter(short.id, 6.9), letter(gone, 89)];
    await db.usageDeadLetter.createMany({ data: [...kept, letter(short.id, 7.1), letter(short.id, 30), letter(gone, 91)] });

    expect(await pruneDeadLetters({ now })).toBeGreaterThanOrEqual(3);
    const left = await db.usageDeadLetter.findMany({ where: { workspaceId: { in: [short.id, gone] } } });
    expect(left.map((d) => d.requestId).sort()).toEqual(kept.map((d) => d.requestId).sort());
  });
});
