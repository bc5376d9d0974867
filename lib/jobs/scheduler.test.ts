import { afterEach, describe, expect, it } from "vitest";
import { startScheduler } from "./scheduler";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

describe("scheduler", () => {
  it("never runs a job over itself, and keeps running after a job throws", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let failures = 0;
    stop = startScheduler(
      [
        {
          name: "slow",
          everyMs: 0,
          async run() {
            active++;
            maxActive = Math.max(maxActive, active);
            runs++;
            await sleep(30);
            active--;
          },
        },
        {
          name: "failing",
          everyMs: 0,
          async run() {
            failures++;
            throw new Error("boom");
          },
        },
      ],
      { tickMs: 5 },
    );
    await sleep(200);
    expect(maxActive).toBe(1);
    expect(runs).toBeGreaterThan(2);
    expect(failures).toBeGreaterThan(3);
  });

  it("bounds concurrency across jobs and honours everyMs", async () => {
    let active = 0;
    let maxActive = 0;
    const counts: Record<string, number> = {};
    const job = (name: string, everyMs: number) => ({
      name,
      everyMs,
      async run() {
        counts[name] = (counts[name] ?? 0) + 1;
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(20);
        active--;
      },
    });
    stop = startScheduler([job("a", 0), job("b", 0), job("c", 0), job("rare", 10_000)], { tickMs: 5, maxConcurrent: 2 });
    await sleep(150);
    expect(maxActive).toBe(2);
    expect(counts.rare).toBe(1);
  });

  it("starting twice in one process returns the running scheduler, and stop ends it", async () => {
    let runs = 0;
    const jobs = [{ name: "n", everyMs: 0, run: async () => void runs++ }];
    stop = startScheduler(jobs, { tickMs: 5 });
    expect(startScheduler(jobs, { tickMs: 5 })).toBe(stop);
    await sleep(50);
    await stop();
    stop = null;
    const after = runs;
    await sleep(50);
    expect(runs).toBe(after);
  });
});
