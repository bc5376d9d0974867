import { EventEmitter } from "node:events";

// In-process wake-ups between the webhook ingress, the delivery worker, the pull queue and sync-mode waits, so
// nobody polls the database in a tight loop. They are hints only: every reader re-reads the WebhookEvent row,
// and periodic sweeps (the delivery job, the long-poll's re-check) cover other app instances and missed signals.
//
//   "queued"    { targetType, targetId, eventId }  an event became visible in a target's queue (ingress, replay,
//                                                  visibility timeout expiry is found by the sweep instead)
//   "completed" { eventId }                        a sync-mode result was posted (POST /api/v1/events/{id}/result)
export interface QueuedSignal {
  targetType: "worker" | "workflow";
  targetId: string;
  eventId: string;
}
export interface CompletedSignal {
  eventId: string;
}

class WebhookSignals extends EventEmitter {
  queued(s: QueuedSignal) {
    this.emit("queued", s);
  }
  completed(s: CompletedSignal) {
    this.emit("completed", s);
  }
}

const KEY = Symbol.for("switchboard.webhookSignals");
const g = globalThis as unknown as { [KEY]?: WebhookSignals };
/** One emitter per process (Next's dev bundles and the custom server share it through globalThis). */
export const webhookSignals: WebhookSignals = (g[KEY] ??= (() => {
  const e = new WebhookSignals();
  e.setMaxListeners(0);
  return e;
})());
