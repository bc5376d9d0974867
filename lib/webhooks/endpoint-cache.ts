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
const MAX_ENTRIES = 10_000;

interface Entry {
  at: number;
  value: Promise<IngressEndpoint | null>;
}
// One map per process: the custom server's lean router (the ingress) and Next's bundle (the admin API's update,
// rotate and delete) load separate copies of this module, so a module-level map left the ingress on a stale entry
// (a just-rotated secret refused, a deleted endpoint still answering) for CACHE_MS.
const cache = processSingleton("webhookEndpointCache", () => new Map<string, Entry>());

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
  const hit = cache.get(id);
  if (hit && t - hit.at < CACHE_MS) return hit.value;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const value = load(id);
  cache.set(id, { at: t, value });
  // A failed load is not kept: the next request tries again.
  value.catch(() => {
    if (cache.get(id)?.value === value) cache.delete(id);
  });
  return value;
}

/** Drops an endpoint from the cache (after an update, rotation or delete in this process). */
export function invalidateWebhook(id: string) {
  cache.delete(id);
}

/** Drops every cached endpoint (a target's delivery URL changed, tests). */
export function clearWebhookCache() {
  cache.clear();
}
