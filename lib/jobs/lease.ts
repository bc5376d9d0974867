import crypto from "node:crypto";
import os from "node:os";
import { db } from "../db/client";
import { processSingleton } from "../db/global";
import { logger } from "../log";

// A time-limited lease in the JobLease table, so scheduled work runs on one app instance at a time even when
// several share one PostgreSQL. Taking it is one statement (insert, or take over when we already hold it or it
// has expired), so two instances racing for it cannot both win.

/** This process's holder id: unique per process, stable for its lifetime (both module graphs share it). */
export const leaseHolder = (): string =>
  processSingleton("jobLeaseHolder", () => `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`);

/** True when `holder` now holds the lease `name` until now + ttlMs. */
export async function tryAcquireLease(name: string, holder: string, ttlMs: number, now: Date = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const rows = await db.$queryRaw<{ holder: string }[]>`
    INSERT INTO "JobLease" ("name", "holder", "expiresAt", "updatedAt") VALUES (${name}, ${holder}, ${expiresAt}, ${now})
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "JobLease"."holder" = EXCLUDED."holder" OR "JobLease"."expiresAt" <= ${now}
    RETURNING "holder"`;
  return rows.length === 1 && rows[0].holder === holder;
}

/** Gives the lease up early (only if `holder` still holds it), so another instance need not wait for expiry. */
export async function releaseLease(name: string, holder: string, now: Date = new Date()): Promise<void> {
  await db.jobLease.updateMany({ where: { name, holder }, data: { expiresAt: now } });
}

/**
 * Runs `fn` only if this process gets the lease; returns `{ ran: false }` otherwise. The lease is renewed
 * while `fn` runs (every third of the TTL), so a long run is not taken over; it is released afterwards.
 */
export async function withLease<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const holder = leaseHolder();
  if (!(await tryAcquireLease(name, holder, ttlMs))) return { ran: false };
  const renew = setInterval(
    () => {
      tryAcquireLease(name, holder, ttlMs).catch((e) => logger.warn("lease renewal failed", { lease: name, error: e }));
    },
    Math.max(250, Math.floor(ttlMs / 3)),
  );
  renew.unref();
  try {
    return { ran: true, value: await fn() };
  } finally {
    clearInterval(renew);
    await releaseLease(name, holder).catch((e) => logger.warn("lease release failed", { lease: name, error: e }));
  }
}
