import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { threadTask } from "./thread-task";

// The thread doubles `n`; `n < 0` stops it dead (as a crash would); `n === 0` never answers.
const SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ id, n }) => {
  if (n < 0) process.exit(3);
  if (n === 0) return;
  parentPort.postMessage({ id, doubled: n * 2 });
});
`;

const task = (key: string, timeoutMs = 2_000) =>
  threadTask<{ n: number }, { doubled: number }>({
    key: `switchboard.test.${key}`,
    source: SOURCE,
    heapMb: 32,
    youngMb: 8,
    timeoutMs,
    outOfMemory: () => new AppError("payload_too_large", "too big"),
    failed: (m) => new AppError("bad_request", m),
    timedOut: () => new AppError("payload_too_large", "too slow"),
  });

describe("threadTask", () => {
  it("answers each task in order, one at a time", async () => {
    const run = task("order");
    const out = await Promise.all([1, 2, 3].map((n) => run({ n })));
    expect(out.map((r) => r.doubled)).toEqual([2, 4, 6]);
  });

  it("a task that kills the thread fails, and the next one runs in a new thread", async () => {
    const run = task("crash");
    const [dead, next] = await Promise.allSettled([run({ n: -1 }), run({ n: 5 })]);
    expect(dead.status).toBe("rejected");
    expect(next).toEqual({ status: "fulfilled", value: expect.objectContaining({ doubled: 10 }) });
  });

  it("a task that never answers times out with the task's error, and the thread is replaced", async () => {
    const run = task("hang", 200);
    await expect(run({ n: 0 })).rejects.toThrow("too slow");
    await expect(run({ n: 4 })).resolves.toMatchObject({ doubled: 8 });
  });
});
