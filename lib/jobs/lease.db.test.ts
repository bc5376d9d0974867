import { describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { suffix } from "../testing/factories";
import { leaseHolder, releaseLease, tryAcquireLease, withLease } from "./lease";

useTestDb();

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

describe("job lease", () => {
  it("a second holder cannot acquire until the lease expires; the holder can renew", async () => {
    const name = `job-${suffix()}`;
    expect(await tryAcquireLease(name, "A", 10_000, at(0))).toBe(true);
    expect(await tryAcquireLease(name, "B", 10_000, at(1_000))).toBe(false);
    expect(await tryAcquireLease(name, "A", 10_000, at(5_000))).toBe(true); // renewed until 15 s
    expect(await tryAcquireLease(name, "B", 10_000, at(14_999))).toBe(false);
    expect(await tryAcquireLease(name, "B", 10_000, at(15_000))).toBe(true);
    expect((await db.jobLease.findUnique({ where: { name } }))?.holder).toBe("B");
    expect(await tryAcquireLease(name, "A", 10_000, at(16_000))).toBe(false);
  });

  it("only one of many concurrent contenders wins", async () => {
    const name = `race-${suffix()}`;
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => tryAcquireLease(name, `h${i}`, 10_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it("release lets another holder in at once, but only the holder can release", async () => {
    const name = `rel-${suffix()}`;
    expect(await tryAcquireLease(name, "A", 60_000)).toBe(true);
    await releaseLease(name, "B");
    expect(await tryAcquireLease(name, "B", 60_000)).toBe(false);
    await releaseLease(name, "A");
    expect(await tryAcquireLease(name, "B", 60_000)).toBe(true);
  });

  it("withLease skips the work while another process holds the lease, and runs it otherwise", async () => {
    const name = `with-${suffix()}`;
    expect(await tryAcquireLease(name, "other-process", 60_000)).toBe(true);
    let ran = 0;
    expect(await withLease(name, 60_000, async () => void ran++)).toEqual({ ran: false });
    expect(ran).toBe(0);
    await releaseLease(name, "other-process");
    expect(await withLease(name, 60_000, async () => ++ran)).toEqual({ ran: true, value: 1 });
    // Released afterwards: the row is ours but already expired.
    const row = await db.jobLease.findUnique({ where: { name } });
    expect(row?.holder).toBe(leaseHolder());
    expect(row!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
