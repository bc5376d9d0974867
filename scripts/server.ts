// The production server: one process, one port. Data-plane paths go to lean node:http handlers
// (lib/dataplane), everything else to Next's request handler. Before listening it migrates the database,
// creates the first admin on an empty database and applies SWITCHBOARD_CONFIG. Next.js itself is loaded on
// the first request that needs it, so an instance that only serves the data plane never holds it in memory.
import "./load-env";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { dataDir, env } from "../lib/env";
import { closeDb, dbHandle, installDbHandle } from "../lib/db/client";
import { migrateIsolated } from "../lib/db/migrate-isolated";
import { openPgliteInThread } from "../lib/db/threaded";
import { ensureAdmin } from "../lib/bootstrap/ensure-admin";
import { applyConfigFile } from "../lib/config/apply-file";
import { matchLeanRoute, sendJson } from "../lib/dataplane/router";
import { requestIdOf } from "../lib/http/request-id";
import { answerClientError } from "../lib/http/client-error";
import { CLIENT_ADDRESS_HEADER } from "../lib/auth/client-address";
import { REQUEST_PATH_HEADER } from "../lib/http/stamped-headers";
import { isAppError } from "../lib/errors";
import { logger } from "../lib/log";
import { startScheduler } from "../lib/jobs/scheduler";
import { SCHEDULED_JOBS } from "../lib/jobs/jobs";
import { stopMetering, writeAndWatchBudgets } from "../lib/gateway/metering";
import { healthProbesSettled } from "../lib/deployments/health-check";
import { passiveChecksSettled } from "../lib/deployments/passive-health";
import { closeUsageJournal, instanceJournalDir, journalDirs, openUsageJournal, replayUsageJournal } from "../lib/usage/journal";
import { drainServer, refuseWhileDraining } from "../lib/http/drain-server";
import { stopBodies } from "../lib/gateway/bodies";
import { stopToolCalls } from "../lib/tools/record-call";
import { stopMcpWatcher } from "../lib/mcp/watcher";
import { flushLastUsed, stopSnapshot } from "../lib/gateway/snapshot";
import { closeLimitsStore } from "../lib/gateway/limits-store";

const root = path.resolve(import.meta.dirname, "..");
const t0 = Date.now();
const publicUrl = env.SWITCHBOARD_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
process.env.NEXTAUTH_URL ??= publicUrl;

async function prepareDatabase() {
  const applied = await migrateIsolated();
  // The embedded database runs in a thread of its own, off the thread that serves requests (lib/db/threaded.ts).
  if (!env.DATABASE_URL) installDbHandle(() => openPgliteInThread());
  logger.info("database ready", { kind: dbHandle().kind, migrationsApplied: applied });
  // Usage a previous run answered but did not commit (a crash, kill -9) is written before serving. One process
  // owns an embedded data directory, so every journal in it is a dead process's; with PostgreSQL, instances
  // sharing the directory each replay only their own.
  const journal = instanceJournalDir(dataDir, env.PORT);
  const replayed = await replayUsageJournal(env.DATABASE_URL ? [journal] : journalDirs(dataDir), writeAndWatchBudgets);
  if (replayed.segments || replayed.skipped || replayed.failed) logger.warn("usage journal replayed", { ...replayed });
  openUsageJournal(journal);
  const admin = await ensureAdmin({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  if (admin === "created") logger.info("created the first admin", { email: env.ADMIN_EMAIL });
  if (env.SWITCHBOARD_CONFIG) {
    try {
      const result = await applyConfigFile(env.SWITCHBOARD_CONFIG);
      logger.info("configuration applied", { file: env.SWITCHBOARD_CONFIG, ...result.summary });
    } catch (e) {
      if (isAppError(e)) {
        console.error(`Configuration ${env.SWITCHBOARD_CONFIG} refused: ${e.message}`);
        for (const f of e.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
        process.exit(1);
      }
      throw e;
    }
  }
}

// A plain path (no query, dot segments, escapes or backslashes) is its own normalised form: no URL parse needed.
const PLAIN_PATH = /^\/(?:[A-Za-z0-9_~-]+\/)*[A-Za-z0-9_~-]*$/;

function normalisedPath(rawUrl: string | undefined): string | null {
  if (rawUrl !== undefined && PLAIN_PATH.test(rawUrl)) return rawUrl;
  try {
    const u = new URL(rawUrl ?? "/", "http://localhost");
    return u.pathname;
  } catch {
    return null;
  }
}

type NextHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
let nextHandler: Promise<NextHandler> | null = null;

/**
 * Next's request handler, loaded and prepared on first use (about 20-25 MB of resident memory and a few hundred
 * milliseconds that an API-only instance never pays). Requests that arrive while it prepares wait for the same
 * preparation; if it fails, the waiting requests fail and the next request tries again.
 */
function nextHandle(): Promise<NextHandler> {
  nextHandler ??= (async () => {
    const started = Date.now();
    const { default: next } = await import("next");
    const app = next({ dev: false, dir: root, hostname: "localhost", port: env.PORT });
    await app.prepare();
    logger.info("next.js ready", { ms: Date.now() - started });
    return app.getRequestHandler() as NextHandler;
  })();
  nextHandler.catch(() => (nextHandler = null));
  return nextHandler;
}

async function main() {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("No production build found. Run `npm run build` first.");
    process.exit(1);
  }
  await prepareDatabase();
  // Background jobs (health checks...) start once the database is ready; each takes a lease where it must run once.
  const stopScheduler = startScheduler(SCHEDULED_JOBS);

  const server = http.createServer(async (req, res) => {
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
    const requestId = requestIdOf(req.headers["x-request-id"]);
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    const pathname = normalisedPath(req.url);
    if (pathname === null)
      return sendJson(res, 400, { error: { message: "Malformed request URL", type: "invalid_request_error", code: "bad_url" } });
    const settled = drain.admit(res);
    if (!settled) return refuseWhileDraining(res, pathname);
    req.headers[REQUEST_PATH_HEADER] = (req.url ?? "/").slice(0, 2048);
    const lean = matchLeanRoute(req.method ?? "GET", pathname);
    try {
      if (lean) await lean(req, res, { requestId, pathname });
      else await (await nextHandle())(req, res);
    } catch (e) {
      logger.error("request failed", { requestId, path: pathname, error: e });
      if (!res.headersSent) sendJson(res, 500, { title: "Internal error", status: 500, requestId });
      else res.destroy();
    } finally {
      settled();
    }
  });
  server.keepAliveTimeout = 65_000;
  const drain = drainServer(server);
  // Requests the HTTP parser refuses (a 60 KB header: 431) get a JSON error body instead of Node's bare status line.
  server.on("clientError", answerClientError);

  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const signIn = `${publicUrl}/login`;
  console.log(
    [
      "",
      `  Switchboard ${process.env.npm_package_version ?? ""} is ready (${((Date.now() - t0) / 1000).toFixed(1)} s, ${dbHandle().kind})`,
      `  Sign in:  ${signIn}`,
      env.ADMIN_EMAIL ? `  Admin:    ${env.ADMIN_EMAIL} (password from ADMIN_PASSWORD)` : "  Admin:    set ADMIN_EMAIL and ADMIN_PASSWORD",
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    // A second signal ends the grace period at once.
    if (stopping) return drain.hurry();
    stopping = true;
    logger.info("shutting down", { signal, inFlight: drain.inFlight, graceMs: env.SHUTDOWN_GRACE_MS });
    const schedulerStopped = stopScheduler().catch(() => {});
    // Live MCP sessions end now (stdio servers' processes with them).
    const watcherStopped = stopMcpWatcher().catch(() => {});
    // Calls in flight (streams included) finish and are metered; /api/health answers 503 meanwhile.
    const drained = await drain.drain(env.SHUTDOWN_GRACE_MS);
    if (!drained.finished) logger.warn("shutdown grace period over: connections cut", { cut: drained.cut, graceMs: env.SHUTDOWN_GRACE_MS });
    await schedulerStopped;
    await watcherStopped;
    // Probes of new instances and passive-check writes still running land before the database closes.
    await Promise.all([healthProbesSettled(), passiveChecksSettled()]).catch(() => {});
    // Usage still queued is written before the database closes, so a clean stop loses no record.
    stopSnapshot();
    await stopMetering().catch((e) => logger.error("usage flush at shutdown failed", { error: e }));
    // Committed segments are deleted; anything the flush could not write stays for the next start to replay.
    closeUsageJournal();
    await stopBodies().catch((e) => logger.error("request body flush at shutdown failed", { error: e }));
    await stopToolCalls().catch((e) => logger.error("tool call flush at shutdown failed", { error: e }));
    await flushLastUsed().catch(() => {});
    closeLimitsStore();
    await closeDb().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e) => {
  console.error("Switchboard failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});
