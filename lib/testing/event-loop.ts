import { performance } from "node:perf_hooks";

/**
 * Watches the event loop while `work` runs and reports its longest stall: the most time, between two 10 ms ticks,
 * that the loop spent running code instead of waiting (`busyMs`, from event-loop utilization), and the longest
 * gap between ticks on the wall clock (`wallMs`). On a shared 2-core machine the wall gap also counts time the
 * process was not scheduled at all; `busyMs` is what the server's own code held the loop for.
 */
export async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ result: T; busyMs: number; wallMs: number }> {
  let busyMs = 0;
  let wallMs = 0;
  let lastAt = performance.now();
  let lastElu = performance.eventLoopUtilization();
  const tick = () => {
    const now = performance.now();
    const elu = performance.eventLoopUtilization();
    busyMs = Math.max(busyMs, performance.eventLoopUtilization(elu, lastElu).active);
    wallMs = Math.max(wallMs, now - lastAt);
    lastAt = now;
    lastElu = elu;
  };
  const timer = setInterval(tick, 10);
  try {
    const result = await work();
    tick();
    return { result, busyMs, wallMs };
  } finally {
    clearInterval(timer);
  }
}
