import { db } from "../db/client";
import { processSingleton } from "../db/global";
import { leaseHolder, releaseLease, tryAcquireLease } from "../jobs/lease";
import type { ScheduledJob } from "../jobs/scheduler";
import { logger } from "../log";
import { describeMcpError, type McpSession } from "./client";
import { storedHeaders } from "./headers";
import { refreshMcpServer } from "./refresh-server";
import { announcesListChanged } from "./server-dto";
import { stdioRefusal } from "./stdio";
import { openServerSession, targetSelect } from "./target";

// Live sessions with the servers that announce list changes (capabilities tools/resources/prompts.listChanged at
// their last discovery), so a `notifications/*/list_changed` refreshes them within a second instead of at the next
// scheduled refresh. One app instance holds them all (the JobLease "mcp.watch", renewed by every sync); the others
// close theirs. Each sync (every SYNC_MS) opens sessions for new servers, closes those of deleted or changed ones
// (how they are reached: URL, headers, command, args, env and their credentials' values), and pings the open
// ones. A lost session is opened again with backoff (1 s doubling to 5 min) and the server refreshed then, for
// the changes missed meanwhile. A stdio server's process lives as long as its session.
//
// An OAuth server is watched while its workspace connection is active: each (re)connect takes a fresh bearer
// token (refreshed first when about to expire), a token refused mid-session (401 to a ping, a refresh or the
// event stream) is renewed through the shared single-flight refresh, and a reconnect by an Admin (a new
// connection) or a connection that needs re-authorization closes the session at the next sync.

const LEASE = "mcp.watch";
const SYNC_MS = 15_000;
const LEASE_TTL_MS = 4 * SYNC_MS;
const CONNECT_TIMEOUT_MS = 15_000;
const PING_TIMEOUT_MS = 10_000;
// Pings in flight at once: 200 sessions are pinged in 13 rounds of at most 10 s, well within the lease.
const PING_CONCURRENCY = 16;
// An HTTP server's event stream is cut (and the SDK opens it again) after this long.
const STREAM_MS = 6 * 3600_000;
const DEBOUNCE_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;
const MAX_WATCHED = 200;
const LIST_CHANGED = new Set([
  "notifications/tools/list_changed",
  "notifications/resources/list_changed",
  "notifications/prompts/list_changed",
]);

interface Watched {
  id: string;
  fingerprint: string;
  session: McpSession | null;
  connecting: boolean;
  failures: number;
  retry: NodeJS.Timeout | null;
  debounce: NodeJS.Timeout | null;
  refreshing: Promise<void> | null;
  again: boolean;
  /** Sessions opened for this server (tests and logs). */
  connects: number;
  closed: boolean;
}

interface WatcherState {
  watched: Map<string, Watched>;
  holding: boolean;
  stopped: boolean;
}

const state = () => processSingleton<WatcherState>("mcpWatcher", () => ({ watched: new Map(), holding: false, stopped: false }));

async function fingerprints(rows: { id: string; headers: unknown; env: unknown; [k: string]: unknown }[]): Promise<Map<string, string>> {
  const credIds = rows.flatMap((r) => [...storedHeaders(r.headers), ...storedHeaders(r.env)].map((h) => h.credentialId));
  const creds = new Map(
    (await db.credential.findMany({ where: { id: { in: credIds } }, select: { id: true, updatedAt: true } })).map((c) => [
      c.id,
      c.updatedAt.getTime(),
    ]),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      JSON.stringify([
        r.transport,
        r.url,
        r.internal,
        r.command,
        r.args,
        r.authType,
        (r.oauth as { connectedAt?: Date | null } | null | undefined)?.connectedAt?.getTime() ?? null,
        [...storedHeaders(r.headers), ...storedHeaders(r.env)].map((h) => [h.name, h.credentialId, creds.get(h.credentialId)]),
      ]),
    ]),
  );
}

function backoff(failures: number) {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 20));
}

async function closeWatched(w: Watched) {
  w.closed = true;
  if (w.retry) clearTimeout(w.retry);
  if (w.debounce) clearTimeout(w.debounce);
  const s = w.session;
  w.session = null;
  await s?.close();
}

function refreshSoon(w: Watched, delay = DEBOUNCE_MS) {
  if (w.closed) return;
  if (w.debounce) clearTimeout(w.debounce);
  w.debounce = setTimeout(() => {
    w.debounce = null;
    if (w.refreshing) {
      w.again = true;
      return;
    }
    w.refreshing = (async () => {
      do {
        w.again = false;
        const r = await refreshMcpServer(w.id, { session: w.session ?? undefined });
        if (!r.ok) logger.warn("mcp: refresh after a list change failed", { serverId: w.id, error: r.error });
      } while (w.again && !w.closed);
    })()
      .catch((e: unknown) => logger.warn("mcp: refresh after a list change failed", { serverId: w.id, error: e }))
      .finally(() => (w.refreshing = null));
  }, delay);
  w.debounce.unref();
}

function lost(w: Watched, why: string) {
  if (w.closed || state().stopped) return;
  const s = w.session;
  w.session = null;
  void s?.close();
  w.failures++;
  const delay = backoff(w.failures - 1);
  logger.info("mcp: live session lost, opening again", { serverId: w.id, why, inMs: delay });
  if (w.retry) clearTimeout(w.retry);
  w.retry = setTimeout(() => {
    w.retry = null;
    void connect(w);
  }, delay);
  w.retry.unref();
}

async function connect(w: Watched) {
  if (w.closed || w.connecting || w.session || state().stopped) return;
  w.connecting = true;
  try {
    const row = await db.mcpServer.findFirst({ where: { id: w.id }, select: targetSelect });
    if (!row) return void (await forgetMcpServer(w.id));
    const session = await openServerSession(row, {
      timeoutMs: CONNECT_TIMEOUT_MS,
      streamMs: STREAM_MS,
      onNotification: (n) => {
        if (LIST_CHANGED.has(n.method)) refreshSoon(w);
      },
      onClose: () => lost(w, "closed"),
    });
    if (w.closed || state().stopped) return void (await session.close());
    w.session = session;
    w.connects++;
    // Changes announced while no session was open were missed: discover again.
    if (w.failures > 0) refreshSoon(w, 0);
    w.failures = 0;
  } catch (e) {
    lost(w, describeMcpError(e));
  } finally {
    w.connecting = false;
  }
}

/** Closes the live session of a server (deleted, or changed: the next sync opens one with its new settings). */
export async function forgetMcpServer(serverId: string) {
  const w = state().watched.get(serverId);
  if (!w) return;
  state().watched.delete(serverId);
  await closeWatched(w);
}

async function closeAll() {
  const s = state();
  const all = [...s.watched.values()];
  s.watched.clear();
  await Promise.all(all.map(closeWatched));
}

/** One pass: take or renew the lease, then bring the live sessions to the servers that want one. */
export async function syncMcpWatcher(): Promise<void> {
  const s = state();
  if (s.stopped) return;
  const holding = await tryAcquireLease(LEASE, leaseHolder(), LEASE_TTL_MS);
  s.holding = holding;
  if (!holding) return closeAll();
  const rows = await db.mcpServer.findMany({
    select: { capabilities: true, ...targetSelect, oauth: { select: { status: true, connectedAt: true } } },
    orderBy: { createdAt: "asc" },
  });
  const usable = (r: (typeof rows)[number]) =>
    r.transport === "stdio" ? !stdioRefusal(r.command ?? "") : r.authType !== "oauth" || r.oauth?.status === "active";
  const wanted = rows.filter((r) => announcesListChanged(r.capabilities) && usable(r)).slice(0, MAX_WATCHED);
  const prints = await fingerprints(wanted);
  for (const [id, w] of s.watched)
    if (prints.get(id) !== w.fingerprint) {
      s.watched.delete(id);
      await closeWatched(w);
    }
  const open: { w: Watched; session: McpSession }[] = [];
  for (const r of wanted) {
    let w = s.watched.get(r.id);
    if (!w) {
      w = {
        id: r.id,
        fingerprint: prints.get(r.id)!,
        session: null,
        connecting: false,
        failures: 0,
        retry: null,
        debounce: null,
        refreshing: null,
        again: false,
        connects: 0,
        closed: false,
      };
      s.watched.set(r.id, w);
      void connect(w);
      continue;
    }
    if (w.session) open.push({ w, session: w.session });
  }
  // In parallel (a bounded number at once): one after another, slow servers would hold the sync past its lease.
  let next = 0;
  const pinger = async () => {
    for (let i = next++; i < open.length; i = next++) {
      const { w, session } = open[i];
      await session.client.ping({ timeout: PING_TIMEOUT_MS }).catch((e: unknown) => {
        if (w.session === session) lost(w, `ping failed: ${describeMcpError(e)}`);
      });
    }
  };
  await Promise.allSettled(Array.from({ length: Math.min(PING_CONCURRENCY, open.length) }, pinger));
}

/** At shutdown: every live session closed (stdio processes ended) and the lease given up. */
export async function stopMcpWatcher() {
  const s = state();
  s.stopped = true;
  await closeAll();
  if (s.holding) await releaseLease(LEASE, leaseHolder()).catch(() => {});
  s.holding = false;
}

/** The open live session with a server, if this instance holds one (the scheduled refresh goes through it). */
export function liveSession(serverId: string): McpSession | undefined {
  return state().watched.get(serverId)?.session ?? undefined;
}

/** Tests: what is open now. */
export function watchedSessions(): { id: string; open: boolean; connects: number }[] {
  return [...state().watched.values()].map((w) => ({ id: w.id, open: !!w.session, connects: w.connects }));
}

/** Tests: start again after stopMcpWatcher. */
export function resetMcpWatcherForTests() {
  state().stopped = false;
}

export const mcpWatchJob: ScheduledJob = { name: "mcp.watch", everyMs: SYNC_MS, run: syncMcpWatcher };
