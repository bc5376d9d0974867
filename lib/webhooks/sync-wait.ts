import { db } from "../db/client";
import { webhookSignals, type CompletedSignal } from "./signals";

// Sync mode: the ingress holds the sender's request until the target posts the run's result
// (POST /api/v1/events/{id}/result sets resultStatus/result/completedAt and signals "completed") or the
// endpoint's timeout passes. The signal wakes a wait in this process at once; the periodic re-read covers a result
// posted to another app instance.

export interface SyncResult {
  status: number;
  body: unknown;
}

const RECHECK_MS = 500;

async function readResult(eventId: string): Promise<SyncResult | null> {
  const row = await db.webhookEvent.findUnique({
    where: { id: eventId },
    select: { completedAt: true, resultStatus: true, result: true },
  });
  if (!row?.completedAt) return null;
  return { status: row.resultStatus ?? 200, body: row.result ?? null };
}

/** The posted result of a sync-mode event, or null when none came within timeoutMs (or the signal aborted). */
export function waitForResult(eventId: string, timeoutMs: number, signal?: AbortSignal): Promise<SyncResult | null> {
  return new Promise((resolve, reject) => {
    let done = false;
    let reading = false;
    const finish = (r: SyncResult | null, err?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      webhookSignals.off("completed", onCompleted);
      signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(r);
    };
    const check = () => {
      if (done || reading) return;
      reading = true;
      readResult(eventId).then(
        (r) => {
          reading = false;
          if (r) finish(r);
        },
        (e) => {
          reading = false;
          finish(null, e);
        },
      );
    };
    const onCompleted = (s: CompletedSignal) => {
      if (s.eventId === eventId) check();
    };
    const onAbort = () => finish(null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    const poll = setInterval(check, RECHECK_MS);
    webhookSignals.on("completed", onCompleted);
    signal?.addEventListener("abort", onAbort, { once: true });
    check();
  });
}
