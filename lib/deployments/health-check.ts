import { describeOutboundFailure } from "../outbound/describe-failure";
import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { AppError, notFound } from "../errors";
import { logger } from "../log";
import { outboundFetch } from "../outbound/fetch";
import type { InstanceState } from "../schemas/deployments";
import { requireDeploymentsManage } from "./access";
import { deploymentInclude, toDeploymentDetailDto } from "./deployment-dto";
import { inRotation, nextHealth } from "./health-state";
import { processSingleton } from "../db/global";
import { registryWrite } from "../gateway/registry-write";

export const HISTORY_RETENTION_MS = 24 * 60 * 60 * 1000;
const MAX_ERROR_LENGTH = 200;

type ProbeTarget = {
  id: string;
  url: string;
  deployment: {
    id: string;
    name: string;
    internal: boolean;
    healthPath: string;
    healthIntervalSeconds: number;
    healthTimeoutMs: number;
    unhealthyAfter: number;
    healthyAfter: number;
  };
};

const probeSelect = {
  id: true,
  url: true,
  deployment: {
    select: {
      id: true,
      name: true,
      internal: true,
      healthPath: true,
      healthIntervalSeconds: true,
      healthTimeoutMs: true,
      unhealthyAfter: true,
      healthyAfter: true,
    },
  },
} as const;

/** The instance URL ends in /v1 for OpenAI-protocol engines; the path ("/models") is relative to it. */
export function probeUrl(instanceUrl: string, path: string): string {
  return `${instanceUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  httpStatus: number | null;
  error: string | null;
  state: InstanceState;
  changed: boolean;
}

/**
 * GETs the instance URL + health path through the outbound guard (private addresses only for internal
 * deployments), records a HealthCheck row, and moves the instance's counters and state. Returns null when the
 * instance was deleted meanwhile.
 */
export async function probeInstance(target: ProbeTarget, now: () => Date = () => new Date()): Promise<ProbeResult | null> {
  const d = target.deployment;
  const started = performance.now();
  let httpStatus: number | null = null;
  let error: string | null = null;
  try {
    const res = await outboundFetch(probeUrl(target.url, d.healthPath), {
      allowPrivate: d.internal,
      timeoutMs: d.healthTimeoutMs,
      headers: { accept: "application/json" },
      maxRedirects: 0,
    });
    httpStatus = res.status;
    await res.body?.cancel().catch(() => {});
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (e) {
    error = describeOutboundFailure(e, d.healthTimeoutMs).slice(0, MAX_ERROR_LENGTH);
  }
  const ok = error === null;
  const latencyMs = Math.round(performance.now() - started);
  const at = now();
  // Only a change of state moves the instance in or out of rotation; the counters and times are not routed on.
  return registryWrite(db, async (tx) => {
    const cur = await tx.deploymentInstance.findUnique({ where: { id: target.id } });
    if (!cur) return { result: null, audit: null };
    const next = nextHealth(
      { state: cur.state as InstanceState, consecutiveFailures: cur.consecutiveFailures, consecutiveSuccesses: cur.consecutiveSuccesses },
      ok,
      d,
    );
    await tx.healthCheck.create({ data: { instanceId: cur.id, at, ok, latencyMs, httpStatus, error } });
    await tx.deploymentInstance.update({
      where: { id: cur.id },
      data: {
        state: next.state,
        consecutiveFailures: next.consecutiveFailures,
        consecutiveSuccesses: next.consecutiveSuccesses,
        lastCheckAt: at,
        lastLatencyMs: latencyMs,
        lastError: error,
        nextCheckAt: new Date(at.getTime() + d.healthIntervalSeconds * 1000),
        ...(next.changed ? { stateChangedAt: at } : {}),
      },
    });
    if (next.changed) {
      const log = next.state === "unhealthy" ? logger.warn : logger.info;
      log("deployment instance state changed", { deployment: d.name, instance: cur.url, from: cur.state, to: next.state, error });
    }
    // The gateway's snapshot follows what decides rotation: the state, and for an unproven instance a failure.
    const snapshot = next.changed || inRotation(cur) !== inRotation(next);
    return { result: { ok, latencyMs, httpStatus, error, state: next.state, changed: next.changed }, audit: null, snapshot };
  });
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  const worker = async () => {
    while (i < items.length) {
      const item = items[i++];
      await fn(item).catch((e) => logger.error("health probe failed", { error: e }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Probes every enabled instance whose next check is due. Each is claimed first (nextCheckAt moved past its
 * probe, only while it is still due), so a probe is not started twice: not by a slow round, and not by the
 * scheduled job (which runs under the health-check lease) and a writer's immediate probe (probeDueSoon) at once.
 */
export async function runDueChecks(
  opts: { now?: () => Date; concurrency?: number; batch?: number; deploymentId?: string } = {},
): Promise<number> {
  const now = opts.now ?? (() => new Date());
  const t = now();
  const due = await db.deploymentInstance.findMany({
    where: { enabled: true, nextCheckAt: { lte: t }, ...(opts.deploymentId ? { deploymentId: opts.deploymentId } : {}) },
    select: probeSelect,
    orderBy: { nextCheckAt: "asc" },
    take: opts.batch ?? 200,
  });
  if (!due.length) return 0;
  const claimed: typeof due = [];
  for (const inst of due) {
    const claimUntil = new Date(t.getTime() + inst.deployment.healthTimeoutMs + inst.deployment.healthIntervalSeconds * 1000);
    // registry-neutral: the snapshot does not read nextCheckAt.
    const r = await db.deploymentInstance.updateMany({
      where: { id: inst.id, nextCheckAt: { lte: t } },
      data: { nextCheckAt: claimUntil },
    });
    if (r.count) claimed.push(inst);
  }
  await mapLimit(claimed, opts.concurrency ?? 8, (inst) => probeInstance(inst, now));
  return claimed.length;
}

const soon = () =>
  processSingleton<{ running: Promise<void> | null; again: boolean }>("healthProbeSoon", () => ({ running: null, again: false }));

/**
 * Probes what is due now, without waiting for the scheduled job: called once a write that adds instances, changes
 * an instance's URL or the probe settings has committed (lib/deployments writers and the config file), so a new
 * instance's first probe does not wait for the next round. Runs in the background; requests made meanwhile
 * coalesce into one more round.
 */
export function probeDueSoon(): void {
  const s = soon();
  if (s.running) {
    s.again = true;
    return;
  }
  s.running = (async () => {
    do {
      s.again = false;
      await runDueChecks().catch((e) => logger.error("immediate health probes failed", { error: e }));
    } while (s.again);
  })().finally(() => {
    s.running = null;
  });
}

/** Resolves when the probes started by probeDueSoon are done (tests). */
export async function healthProbesSettled(): Promise<void> {
  while (soon().running) await soon().running;
}

/** Deletes check history older than the retention window (the chart shows at most the last day). */
export async function pruneHealthHistory(now: Date = new Date()): Promise<number> {
  const r = await db.healthCheck.deleteMany({ where: { at: { lt: new Date(now.getTime() - HISTORY_RETENTION_MS) } } });
  return r.count;
}

/**
 * Instances in rotation (health-state.ts inRotation): enabled, and healthy or not yet proven either way without a
 * failure since, so a fresh or re-pointed instance serves at once and leaves at its first failed check.
 */
export async function instancesInRotation(deploymentId: string) {
  return db.deploymentInstance.findMany({
    where: { deploymentId, enabled: true, OR: [{ state: "healthy" }, { state: "unknown", consecutiveFailures: 0 }] },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, url: true, weight: true, replicas: true },
  });
}

/** "Check now": probes the deployment's enabled instances (or one of them) immediately; returns the updated deployment. */
export async function checkDeploymentNow(opts: { actor: Actor; deploymentId: string; instanceId?: string }) {
  requireDeploymentsManage(opts.actor);
  const targets = await db.deploymentInstance.findMany({
    where: { deploymentId: opts.deploymentId, ...(opts.instanceId ? { id: opts.instanceId } : { enabled: true }) },
    select: probeSelect,
  });
  if (!targets.length) {
    const exists = await db.deployment.findUnique({ where: { id: opts.deploymentId }, select: { id: true } });
    if (!exists) throw notFound("Deployment");
    if (opts.instanceId) throw notFound("Instance");
    throw new AppError("conflict", "This deployment has no enabled instance to check");
  }
  await mapLimit(targets, 8, (t) => probeInstance(t));
  const row = await db.deployment.findUnique({ where: { id: opts.deploymentId }, include: deploymentInclude });
  if (!row) throw notFound("Deployment");
  return toDeploymentDetailDto(row);
}
