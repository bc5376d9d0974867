import { now } from "../runtime/clock";
import type { ClientSignal } from "../gateway/types";
import type { QueuedEvent } from "../schemas/webhook-delivery";
import { receiveEvents } from "./queue";
import type { QueueTarget } from "./queue-target";
import { webhookSignals, type QueuedSignal } from "./signals";

// The long-poll of GET /api/v1/events?wait=: returns as soon as the target has an event. An event queued in this
// process wakes the wait at once (the "queued" signal); the re-check every second finds events queued on
// another instance and ones whose visibility timeout ran out.

const RECHECK_MS = 1000;

export async function receiveEventsWaiting(opts: {
  workspaceId: string;
  target: QueueTarget;
  limit: number;
  visibilitySeconds: number;
  waitSeconds: number;
  /** The client went away: stop waiting (nothing is claimed for it). */
  signal?: ClientSignal;
}): Promise<QueuedEvent[]> {
  const deadline = now() + opts.waitSeconds * 1000;
  for (;;) {
    if (opts.signal?.aborted) return [];
    const events = await receiveEvents(opts);
    if (events.length || now() >= deadline) return events;
    await nap(opts.target, Math.min(RECHECK_MS, deadline - now()), opts.signal);
  }
}

/** Resolves after `ms`, or earlier when an event is queued for the target or the client goes away. */
function nap(target: QueueTarget, ms: number, signal?: ClientSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      webhookSignals.off("queued", onQueued);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const onQueued = (s: QueuedSignal) => {
      if (s.targetType === target.type && s.targetId === target.id) done();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    webhookSignals.on("queued", onQueued);
    signal?.addEventListener("abort", done, { once: true });
  });
}
