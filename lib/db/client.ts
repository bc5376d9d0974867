import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client";
import { dataDir, env } from "../env";
import { processSingleton } from "./global";
import { runBatch, type EmbeddedDb } from "./embedded";

// Secret columns are left out of every query unless a query asks for them (`omit: { ciphertext: false }`).
const OMIT = {
  credential: { ciphertext: true },
  oAuthConnection: { accessToken: true, refreshToken: true },
  connectSession: { codeVerifier: true },
  mcpOAuthConnection: { accessToken: true, refreshToken: true, clientSecret: true, pendingClientSecret: true, codeVerifier: true },
} as const;
export type Db = PrismaClient<never, typeof OMIT>;

export interface DbHandle {
  kind: "pglite" | "postgresql";
  prisma: Db;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The embedded database's batch writes (PGlite only). */
  embedded?: EmbeddedDb;
  /** Disconnects Prisma and closes the database (PGlite writes its last pages here). */
  close(): Promise<void>;
}

// PostgreSQL's default 128 MB of shared buffers becomes 128 MB of resident memory in PGlite as soon as a
// workload touches it (the WebAssembly heap never shrinks); pages beyond the buffers come from the operating
// system's file cache, which reads about as fast here. At 8 MB PGlite's WebAssembly heap stays at ~23 MB
// resident (~31 MB at 16 MB); usage writes and a 30,000-row report scan measured no slower than with 16 MB.
// The heap is reserved at 128 MB (PGlite's initial size) but only pages Postgres touches are resident.
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=8MB"];

/** The embedded database's directory (created on first use). */
export function pgliteDir(): string {
  const dir = path.join(dataDir, "pglite");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const prismaOver = (adapterFactory: SqlMigrationAwareDriverAdapterFactory): Db => new PrismaClient({ adapter: adapterFactory, omit: OMIT });

/** The handle of an embedded database, in this thread or its own: Prisma over `adapterFactory`, closed before the database. */
export function embeddedHandle(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  embedded: EmbeddedDb,
  closeDatabase: () => Promise<void>,
): DbHandle {
  const prisma = prismaOver(adapterFactory);
  return {
    kind: "pglite",
    prisma,
    adapterFactory,
    embedded,
    close: async () => {
      await prisma.$disconnect();
      await closeDatabase();
    },
  };
}

function open(): DbHandle {
  if (env.DATABASE_URL) {
    const adapterFactory = new PrismaPg({ connectionString: env.DATABASE_URL, max: 10 });
    const prisma = prismaOver(adapterFactory);
    return { kind: "postgresql", prisma, adapterFactory, close: () => prisma.$disconnect() };
  }
  const pglite = new PGlite(pgliteDir(), { startParams: PGLITE_START_PARAMS });
  return embeddedHandle(new PrismaPGlite(pglite), { batch: (steps) => runBatch(pglite, steps) }, async () => {
    if (!pglite.closed) await pglite.close();
  });
}

/** The process-wide database handle (one PGlite per data directory, shared by both module graphs). */
export function dbHandle(): DbHandle {
  return processSingleton("db", open);
}

/**
 * Opens the process's database with `make` instead of the default (the custom server opens the embedded
 * database in a thread of its own this way); a no-op when it is already open.
 */
export function installDbHandle(make: () => DbHandle): DbHandle {
  return processSingleton("db", make);
}

export const db: Db = new Proxy({} as Db, {
  get(_t, prop) {
    const client = dbHandle().prisma as unknown as Record<string | symbol, unknown>;
    const value = client[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
  },
});

export async function closeDb(): Promise<void> {
  const key = Symbol.for("switchboard.db");
  const g = globalThis as unknown as Record<symbol, DbHandle | undefined>;
  const handle = g[key];
  if (!handle) return;
  g[key] = undefined;
  await handle.close();
}

export async function pingDb(): Promise<{ ok: boolean; kind: string; latencyMs: number; error?: string }> {
  const started = performance.now();
  const kind = env.DATABASE_URL ? "postgresql" : "pglite";
  try {
    await dbHandle().prisma.$queryRawUnsafe("SELECT 1");
    return { ok: true, kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (e) {
    // Prisma's message starts with a blank line and the invocation; the database's own words come last.
    const lines = String((e as Error).message)
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    return { ok: false, kind, latencyMs: Math.round(performance.now() - started), error: lines.at(-1) ?? "unreachable" };
  }
}
