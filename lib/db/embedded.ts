import type { PGlite } from "@electric-sql/pglite";

// What the embedded database offers beyond Prisma: a list of statements run in one transaction, one of which may
// be a COPY ... FROM '/dev/blob' fed with text. The usage writer uses it (one COPY per batch is about a quarter of
// the CPU of an INSERT in PGlite). The same shape serves PGlite in this thread and PGlite in its own thread
// (lib/db/threaded.ts), where the statements cross as one message.

export interface BatchStep {
  sql: string;
  params?: unknown[];
  /** The data of a `COPY ... FROM '/dev/blob'` statement, in COPY's text format. */
  copyText?: string;
}

export interface EmbeddedDb {
  /** Runs the steps in one transaction; a failing step rolls back all of them and rejects with its error (`code` kept). */
  batch(steps: BatchStep[]): Promise<void>;
}

export async function runBatch(pglite: PGlite, steps: readonly BatchStep[]): Promise<void> {
  await pglite.transaction(async (tx) => {
    for (const s of steps) await tx.query(s.sql, s.params ?? [], s.copyText === undefined ? undefined : { blob: new Blob([s.copyText]) });
  });
}
