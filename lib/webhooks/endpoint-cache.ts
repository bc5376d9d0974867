import { db } from "../db/client";
import { processSingleton } from "../db/global";
import { openSecret } from "../crypto";
import { sealContext } from "../credentials/create-credential";
import { now } from "../runtime/clock";
import type { WebhookOptions, WebhookScheme } from "../schemas/webhooks";
import { storedOptions } from "./endpoint-dto";

// The ingress's view of an endpoint, with its valid secrets decrypted, kept in memory for a few seconds so a
// busy endpoint costs no lookup and no decryption per request. Writes in this process (update, rotate, delete)
// drop the entry at once; other app instances see them within CACHE_MS. A secret's expiry is checked per
// request, so a rotated-out secret stops at its expiresAt whatever the cache holds.

export interface IngressEndpoint {
  id: string;
  workspaceId: string;
  scheme: WebhookScheme;
  options: WebhookOptions;
  targetType: "worker" | "workflow";
  targetId: string;
  /** Whether the target forwards to a delivery URL (then nextAttemptAt is set when an event is queued). */
  targetPushes: boolean;
  mode: "async" | "sync";
  syncTimeoutMs: number;
  redactFields: string[];
  maxBodyBytes: number;
  enabled: boolean;
  /** Valid secrets, newest first: expiresAt in ms (null: current). */
  secrets: { value: string; expiresAt: number | null }[];
}

const CACHE_MS = 5_000;
/** Endpoints kept: past this many, the oldest is dropped (a new one costs one lookup). */
const MAX_ENTRIES = 10_000;
/** Unknown ids kept apart and fewer: anyone may post to any id, and those must not push real endpoints out. */
const MAX_UNKNOWN = 5_000;

interface Entry<T> {
  at: number;
  value: T;
}
interface EndpointCache {
  known: Map<string, Entry<IngressEndpoint>>;
  unknown: Map<string, Entry<null>>;
  loading: Map<string, Promise<IngressEndpoint | null>>;
}
// One set of maps per process: the custom server's lean router (the ingress) and Next's bundle (the admin API's
// update, rotate and delete) load separate copies of this module, so a module-level map left the ingress on a stale
// entry (a just-rotated secret refused, a deleted endpoint still answering) for CACHE_MS.
const cache = processSingleton<EndpointCache>("webhookEndpointCaches", () => ({
  known: new Map(),
  unknown: new Map(),
  loading: new Map(),
}));

/** Sets `id` as the newest entry, dropping the oldest past `max` (a Map iterates in insertion order). */
function remember<T>(map: Map<string, Entry<T>>, id: string, entry: Entry<T>, max: number) {
  map.delete(id);
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(id, entry);
}

async function load(id: string): Promise<IngressEndpoint | null> {
  const row = await db.webhookEndpoint.findFirst({
    where: { id },
    select: {
      id: true,
      workspaceId: true,
      scheme: true,
      options: true,
      targetType: true,
      workerId: true,
      workflowId: true,
      worker: { select: { deliveryUrl: true } },
      workflow: { select: { deliveryUrl: true } },
      mode: true,
      syncTimeoutMs: true,
      redactFields: true,
      maxBodyBytes: true,
      enabled: true,
      secrets: { select: { credentialId: true, expiresAt: true }, orderBy: { createdAt: "desc" } },
    },
  });
  if (!row) return null;
  const t = now();
  const live = row.secrets.filter((s) => !s.expiresAt || s.expiresAt.getTime() > t);
  const creds = live.length
    ? await db.credential.findMany({
        where: { id: { in: live.map((s) => s.credentialId) }, workspaceId: row.workspaceId },
        select: { id: true, ciphertext: true },
      })
    : [];
  const byId = new Map(creds.map((c) => [c.id, c]));
  const secrets: IngressEndpoint["secrets"] = [];
  for (const s of live) {
    const c = byId.get(s.credentialId);
    if (!c) continue;
    try {
      secrets.push({ value: openSecret(c.ciphertext, sealContext(c.id, row.workspaceId)), expiresAt: s.expiresAt?.getTime() ?? null });
    } catch {
      // openSecret logged it; a secret that cannot be opened verifies nothing.
    }
  }
  const workflow = row.targetType === "workflow";
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    scheme: row.scheme as WebhookScheme,
    options: storedOptions(row.options),
    targetType: workflow ? "workflow" : "worker",
    targetId: (workflow ? row.workflowId : row.workerId) ?? "",
    targetPushes: !!(workflow ? row.workflow?.deliveryUrl : row.worker?.deliveryUrl),
    mode: row.mode === "sync" ? "sync" : "async",
    syncTimeoutMs: row.syncTimeoutMs,
    redactFields: row.redactFields,
    maxBodyBytes: row.maxBodyBytes,
    enabled: row.enabled,
    secrets,
  };
}

/** The endpoint as the ingress needs it (null: no such endpoint). */
export function ingressEndpoint(id: string): Promise<IngressEndpoint | null> {
  const t = now();
  const known = cache.known.get(id);
  if (known && t - known.at < CACHE_MS) return Promise.resolve(known.value);
  const unknown = cache.unknown.get(id);
  if (unknown && t - unknown.at < CACHE_MS) return Promise.resolve(null);
  const pending = cache.loading.get(id);
  if (pending) return pending;
  const value = load(id);
  cache.loading.set(id, value);
  // Kept once loaded unless invalidated meanwhile (the load may predate the change); a failed load is not kept.
  value.then(
    (endpoint) => {
      if (cache.loading.get(id) !== value) return;
      cache.loading.delete(id);
      if (endpoint) {
        cache.unknown.delete(id);
        remember(cache.known, id, { at: t, value: endpoint }, MAX_ENTRIES);
      } else {
        cache.known.delete(id);
        remember(cache.unknown, id, { at: t, value: null }, MAX_UNKNOWN);
      }
    },
    () => {
      if (cache.loading.get(id) === value) cache.loading.delete(id);
    },
  );
  return value;
}

/** Drops an endpoint from the cache (after an update, rotation or delete in this process). */
export function invalidateWebhook(id: string) {
  cache.known.delete(id);
  cache.unknown.delete(id);
  cache.loading.delete(id);
}

/** Drops every cached endpoint (a target's delivery URL changed, tests). */
export function clearWebhookCache() {
  cache.known.clear();
  cache.unknown.clear();
  cache.loading.clear();
}
