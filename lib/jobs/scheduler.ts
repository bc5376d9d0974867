import { processSingleton } from "../db/global";
import { logger } from "../log";

export interface ScheduledJob {
  name: string;
  /** Minimum time between the starts of two runs. */
  everyMs: number;
  run: () => Promise<void>;
}

interface SchedulerState {
  stop: (() => Promise<void>) | null;
}

const state = () => processSingleton<SchedulerState>("scheduler", () => ({ stop: null }));

/**
 * Starts the background loop: every `tickMs` it starts each job that is due and not still running, at most
 * `maxConcurrent` jobs at a time. A job never overlaps itself; its errors are logged, never thrown out.
 * Jobs that must run once across app instances take a lease themselves (lib/jobs/lease.ts).
 * Returns a stop function that waits (up to `graceMs`) for running jobs. Starting twice in one process returns the same stop.
 */
export function startScheduler(
  jobs: ScheduledJob[],
  opts: { tickMs?: number; maxConcurrent?: number; graceMs?: number } = {},
): () => Promise<void> {
  const s = state();
  if (s.stop) return s.stop;
  const tickMs = opts.tickMs ?? 1000;
  const maxConcurrent = opts.maxConcurrent ?? 4;
  const lastStart = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const tick = () => {
    if (stopped) return;
    const now = Date.now();
    // Longest-waiting first, so a busy job early in the list cannot starve the ones after it.
    const order = [...jobs].sort((a, b) => (lastStart.get(a.name) ?? 0) - (lastStart.get(b.name) ?? 0));
    for (const job of order) {
      if (running.size >= maxConcurrent) break;
      if (running.has(job.name)) continue;
      if (now - (lastStart.get(job.name) ?? -Infinity) < job.everyMs) continue;
      lastStart.set(job.name, now);
      const p = Promise.resolve()
        .then(job.run)
        .catch((e: unknown) => logger.error("scheduled job failed", { job: job.name, error: e }))
        .finally(() => running.delete(job.name));
      running.set(job.name, p);
    }
    timer = setTimeout(tick, tickMs);
    timer.unref();
  };
  timer = setTimeout(tick, 0);
  timer.unref();

  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    // Running jobs get a grace period; a probe stuck on a long timeout must not hold up shutdown.
    const grace = new Promise<void>((r) => setTimeout(r, opts.graceMs ?? 5000).unref());
    await Promise.race([Promise.allSettled(running.values()), grace]);
    s.stop = null;
  };
  s.stop = stop;
  return stop;
}
