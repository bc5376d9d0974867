import { db } from "../db/client";
import { withLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { processSingleton } from "../db/global";
import { logger } from "../log";
import { runDeliveryPass } from "./delivery";
import { webhookSignals } from "./signals";

// Runs the forwards on one app instance at a time (a JobLease), woken at once by an event queued in this
// process and every few seconds by the sweep (events queued on other instances, retries that came due).

const SWEEP_MS = 2_000;
const LEASE_MS = 60_000;

interface DeliveryState {
  running: Promise<void> | null;
  again: boolean;
  listening: boolean;
  /** Targets with a delivery URL, re-read by every sweep: only their events wake a pass (pull-only ones never do). */
  pushTargets: Set<string>;
}

const state = () =>
  processSingleton<DeliveryState>("webhookDelivery", () => ({ running: null, again: false, listening: false, pushTargets: new Set() }));

async function readPushTargets(): Promise<Set<string>> {
  const where = { deliveryUrl: { not: null } };
  const [workers, workflows] = await Promise.all([
    db.worker.findMany({ where, select: { id: true } }),
    db.workflow.findMany({ where, select: { id: true } }),
  ]);
  return new Set([...workers, ...workflows].map((r) => r.id));
}

/** Starts a pass unless one runs in this process; a kick during a pass makes it run once more afterwards. */
export function kickDelivery(): Promise<void> {
  const s = state();
  if (s.running) {
    s.again = true;
    return s.running;
  }
  s.running = (async () => {
    try {
      do {
        s.again = false;
        await withLease("webhooks.deliver", LEASE_MS, () => runDeliveryPass());
      } while (s.again);
    } catch (e) {
      logger.error("webhook delivery pass failed", { error: e });
    } finally {
      s.running = null;
    }
  })();
  return s.running;
}

export const webhookDeliveryJob: ScheduledJob = {
  name: "webhooks.deliver",
  everyMs: SWEEP_MS,
  async run() {
    const s = state();
    s.pushTargets = await readPushTargets();
    if (!s.listening) {
      s.listening = true;
      webhookSignals.on("queued", (q) => {
        if (state().pushTargets.has(q.targetId)) void kickDelivery();
      });
    }
    if (s.pushTargets.size) await kickDelivery();
  },
};
