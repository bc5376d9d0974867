import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { closeDb, db, dbHandle, installDbHandle, PGLITE_START_PARAMS } from "./client";
import { DbThread, openPgliteInThread } from "./threaded";
import { isUniqueViolation } from "./errors";
import { writeUsageRows } from "../usage/write";
import { createWorkspace, suffix, usageRow } from "../testing/factories";
import { dataDir, env } from "../env";

// The server opens the embedded database in a thread of its own (scripts/server.ts); every Prisma call and
// usage batch then crosses as a message. These tests run the same code against a copy of the migrated template.

describe.runIf(!env.DATABASE_URL)("the embedded database in its own thread", () => {
  const dir = path.join(dataDir, "pglite");

  it("opens the data directory in a thread and answers Prisma's queries", async () => {
    fs.cpSync(inject("pgliteTemplate"), dir, { recursive: true });
    const handle = installDbHandle(() => openPgliteInThread(dir));
    expect(dbHandle()).toBe(handle);
    expect(handle.kind).toBe("pglite");

    const ws = await createWorkspace({ description: "línea\ttab" });
    const found = await db.workspace.findUniqueOrThrow({ where: { id: ws.id } });
    expect(found).toMatchObject({ slug: ws.slug, description: "línea\ttab", usageRetentionDays: 90 });
    expect(found.createdAt).toBeInstanceOf(Date);
    const [{ n }] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "Workspace" WHERE "id" = $1`, ws.id);
    expect(n).toBe(1n);
  }, 60_000);

  it("maps a unique violation to Prisma's P2002 and keeps what was stored", async () => {
    const ws = await createWorkspace();
    const err = await db.workspace.create({ data: { name: `other ${suffix()}`, slug: ws.slug } }).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect((err as { code?: string }).code).toBe("P2002");
    expect(await db.workspace.count({ where: { slug: ws.slug } })).toBe(1);
  });

  it("rolls an interactive transaction back, and a statement outside it never sees its rows", async () => {
    const slug = `tx-${suffix()}`;
    let seenOutside = -1;
    await expect(
      db.$transaction(async (tx) => {
        await tx.workspace.create({ data: { name: `TX ${slug}`, slug } });
        expect(await tx.workspace.count({ where: { slug } })).toBe(1);
        // Queued behind the open transaction: it runs after the rollback.
        const outside = db.workspace.count({ where: { slug } }).then((n) => (seenOutside = n));
        await new Promise((r) => setTimeout(r, 50));
        expect(seenOutside).toBe(-1);
        void outside;
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db.workspace.count({ where: { slug } })).toBe(0);
    await expect.poll(() => seenOutside).toBe(0);

    const committed = await db.$transaction(async (tx) => tx.workspace.create({ data: { name: `TX2 ${slug}`, slug } }));
    expect(await db.workspace.findUnique({ where: { slug } })).toMatchObject({ id: committed.id });
  });

  it("writes usage batches with one COPY in the thread; a repeated request id keeps the error code and counts once", async () => {
    const ws = await createWorkspace();
    const rows = [
      usageRow(ws.id, { inputTokens: 10, outputTokens: 5, costUsd: "0.00000150", attempts: [{ target: "p1", status: 200 }] }),
      usageRow(ws.id, { userId: "u\\1\n", inputTokens: 3, costUsd: "0.1" }),
    ];
    expect((await writeUsageRows(rows)).length).toBe(2);
    // The COPY fails on the stored id (23505 crossing the thread) and the INSERT ... ON CONFLICT path skips it.
    const again = await writeUsageRows([rows[0], usageRow(ws.id, { inputTokens: 1 })]);
    expect(again.length).toBe(1);

    const records = await db.usageRecord.findMany({ where: { workspaceId: ws.id }, orderBy: { inputTokens: "asc" } });
    expect(records.map((r) => [r.inputTokens, r.userId, r.costUsd.toFixed(8)])).toEqual([
      [1, null, "0.00000000"],
      [3, "u\\1\n", "0.10000000"],
      [10, null, "0.00000150"],
    ]);
    expect(records[2].attempts).toEqual([{ target: "p1", status: 200 }]);
    const day = await db.usageRollup.findFirstOrThrow({ where: { workspaceId: ws.id, granularity: "day", dimension: "workspace" } });
    expect([day.requests, day.inputTokens, day.costUsd.toFixed(8)]).toEqual([3, 14n, "0.10000150"]);
  });

  it("rejects a value that cannot cross the thread without touching the database", async () => {
    const before = await db.workspace.count();
    await expect(dbHandle().embedded!.batch([{ sql: "SELECT $1", params: [() => 1] }])).rejects.toThrow(/could not be cloned/);
    expect(await db.workspace.count()).toBe(before);
  });

  it("fails every call at once when the thread dies, in flight or after, instead of leaving it waiting", async () => {
    const copy = path.join(dataDir, "pglite-crash");
    fs.cpSync(inject("pgliteTemplate"), copy, { recursive: true });
    const thread = new DbThread({ dir: copy, startParams: PGLITE_START_PARAMS });
    const query = { sql: `SELECT count(*)::int AS n FROM "Workspace"`, args: [], argTypes: [] };
    expect(await thread.call<{ rows: unknown[][] }>({ op: "queryRaw", query })).toMatchObject({ rows: [[expect.any(Number)]] });
    const inFlight = thread.call({ op: "queryRaw", query: { ...query, sql: "SELECT pg_sleep(5)" } });
    await thread.kill();
    await expect(inFlight).rejects.toThrow(/embedded database thread exited/);
    await expect(thread.call({ op: "queryRaw", query })).rejects.toThrow(/embedded database thread exited/);
    fs.rmSync(copy, { recursive: true, force: true });
  }, 60_000);

  it("closes the database so that another PGlite can open the directory and read what was written", async () => {
    const ws = await createWorkspace({ name: `Closing ${suffix()}` });
    await closeDb();
    const pglite = new PGlite(dir);
    try {
      const { rows } = await pglite.query<{ name: string }>(`SELECT "name" FROM "Workspace" WHERE "id" = $1`, [ws.id]);
      expect(rows).toEqual([{ name: ws.name }]);
    } finally {
      await pglite.close();
    }
  }, 60_000);
});
