import { forgetOpenedSecrets } from "../crypto";
import { db } from "../db/client";
import { processSingleton } from "../db/global";
import type { Tx } from "../db/types";
import { logger } from "../log";
import { orderRoutes } from "../models/route-order";
import { newPickState, type PickState } from "../deployments/pick-instance";
import { inRotation } from "../deployments/health-state";
import type { Strategy } from "../schemas/deployments";
import { toMicroPrice, type MicroPrice } from "./metering";
import type { KeyLimits, VendorId } from "./types";
import { readGatewayVersion } from "./version";
import type { RouteTimeouts } from "./timeouts";
import { now as clockNow } from "../runtime/clock";

// The gateway's routing table in memory: virtual keys, models with prices and routes, platforms with their
// keys (sealed; each opened per attempt and never kept in clear, see pipeline.ts), deployments
// with their instances. Built with a few queries, rebuilt when the GatewayVersion counter moves (polled every 2 s), shared by both module graphs of
// the process through globalThis.

export interface SnapVirtualKey {
  id: string;
  workspaceId: string;
  name: string;
  /** Logical model names; null means every active model. */
  allowedModels: Set<string> | null;
  limits: KeyLimits;
  /** The workspace's monthly budget (its spend is held under the scope `ws:<workspaceId>`); enforced when it blocks. */
  workspaceBudgetUsd?: number | null;
  workspaceBudgetBlocks?: boolean;
  expiresAt: number | null;
  revoked: boolean;
}

export interface SnapRoute {
  id: string;
  priority: number;
  weight: number;
  upstreamModel: string;
  platformId: string | null;
  deploymentId: string | null;
  /** null fields use the gateway's defaults (lib/gateway/timeouts.ts). */
  timeouts: RouteTimeouts;
}

export interface SnapModel {
  id: string;
  name: string;
  active: boolean;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  prices: MicroPrice[];
  created: number;
  routes: SnapRoute[];
}

export interface SnapPlatformKey {
  id: string;
  weight: number;
  credentialId: string;
  ciphertext: string;
  credentialWorkspaceId: string | null;
}

export interface SnapPlatform {
  id: string;
  name: string;
  vendor: VendorId;
  baseUrl: string;
  apiVersion: string | null;
  internal: boolean;
  active: boolean;
  keys: SnapPlatformKey[];
}

export interface SnapInstance {
  id: string;
  url: string;
  weight: number;
  /** Takes traffic (lib/deployments/health-state.ts inRotation). */
  inRotation: boolean;
  /** Proven healthy by its probes; an unproven one leaves rotation at its first refused connection. */
  proven: boolean;
}

export interface SnapDeployment {
  id: string;
  name: string;
  strategy: Strategy;
  internal: boolean;
  instances: SnapInstance[];
  pick: PickState;
}

export interface GatewaySnapshot {
  version: number;
  builtAt: number;
  keysByHash: Map<string, SnapVirtualKey>;
  models: Map<string, SnapModel>;
  platforms: Map<string, SnapPlatform>;
  deployments: Map<string, SnapDeployment>;
  /** Workspaces that store request and response bodies (lib/gateway/bodies.ts). */
  storeBodies: Set<string>;
}

const trimSlash = (u: string) => u.replace(/\/+$/, "");

export async function buildSnapshot(tx: Tx = db, previous?: GatewaySnapshot | null): Promise<GatewaySnapshot> {
  // Keys replaced or removed since the last snapshot must not stay opened (masked) in lib/crypto.
  forgetOpenedSecrets();
  const version = await readGatewayVersion(tx);
  const [keys, models, platforms, deployments] = await Promise.all([
    tx.virtualKey.findMany({
      select: {
        id: true,
        workspaceId: true,
        name: true,
        keyHash: true,
        allowedModels: true,
        rpm: true,
        tpm: true,
        monthlyBudgetUsd: true,
        budgetAction: true,
        expiresAt: true,
        revokedAt: true,
      },
    }),
    tx.model.findMany({
      select: {
        id: true,
        name: true,
        status: true,
        contextWindow: true,
        maxOutputTokens: true,
        createdAt: true,
        prices: { orderBy: { effectiveFrom: "asc" } },
        routes: {
          where: { enabled: true },
          select: {
            id: true,
            priority: true,
            weight: true,
            upstreamModel: true,
            platformId: true,
            deploymentId: true,
            createdAt: true,
            connectTimeoutMs: true,
            firstTokenTimeoutMs: true,
            totalTimeoutMs: true,
          },
          orderBy: { createdAt: "asc" },
        },
      },
    }),
    tx.platform.findMany({
      select: {
        id: true,
        name: true,
        vendor: true,
        baseUrl: true,
        apiVersion: true,
        internal: true,
        status: true,
        keys: {
          where: { enabled: true },
          select: { id: true, weight: true, credentialId: true },
          orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        },
      },
    }),
    tx.deployment.findMany({
      select: {
        id: true,
        name: true,
        strategy: true,
        internal: true,
        instances: {
          where: { enabled: true },
          select: { id: true, url: true, weight: true, state: true, consecutiveFailures: true },
          orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        },
      },
    }),
  ]);
  const credentialIds = platforms.flatMap((p) => p.keys.map((k) => k.credentialId));
  const credentials = credentialIds.length
    ? await tx.credential.findMany({ where: { id: { in: credentialIds } }, select: { id: true, workspaceId: true, ciphertext: true } })
    : [];
  const credById = new Map(credentials.map((c) => [c.id, c]));
  const bodyWorkspaces = await tx.workspace.findMany({ where: { storeBodies: true }, select: { id: true } });
  const wsBudgets = await tx.workspace.findMany({
    where: { monthlyBudgetUsd: { not: null } },
    select: { id: true, monthlyBudgetUsd: true, budgetAction: true },
  });
  const wsBudget = new Map(
    wsBudgets.map((w) => [w.id, { usd: Number(w.monthlyBudgetUsd!.toFixed(6)), blocks: w.budgetAction === "block" }]),
  );

  const snap: GatewaySnapshot = {
    version,
    builtAt: clockNow(),
    keysByHash: new Map(),
    models: new Map(),
    platforms: new Map(),
    deployments: new Map(),
    storeBodies: new Set(bodyWorkspaces.map((w) => w.id)),
  };
  for (const k of keys) {
    snap.keysByHash.set(k.keyHash, {
      id: k.id,
      workspaceId: k.workspaceId,
      name: k.name,
      allowedModels: k.allowedModels.length ? new Set(k.allowedModels) : null,
      // A key budget set to "notify" only raises alerts (lib/budgets); the gateway does not refuse on it.
      limits: {
        rpm: k.rpm,
        tpm: k.tpm,
        monthlyBudgetUsd: k.monthlyBudgetUsd === null || k.budgetAction === "notify" ? null : Number(k.monthlyBudgetUsd.toFixed(6)),
      },
      workspaceBudgetUsd: wsBudget.get(k.workspaceId)?.usd ?? null,
      workspaceBudgetBlocks: wsBudget.get(k.workspaceId)?.blocks ?? false,
      expiresAt: k.expiresAt?.getTime() ?? null,
      revoked: k.revokedAt !== null,
    });
  }
  for (const m of models) {
    snap.models.set(m.name, {
      id: m.id,
      name: m.name,
      active: m.status === "active",
      contextWindow: m.contextWindow,
      maxOutputTokens: m.maxOutputTokens,
      created: Math.floor(m.createdAt.getTime() / 1000),
      prices: m.prices.map(toMicroPrice),
      routes: orderRoutes(m.routes).map((r) => ({
        id: r.id,
        priority: r.priority,
        weight: r.weight,
        upstreamModel: r.upstreamModel || m.name,
        platformId: r.platformId,
        deploymentId: r.deploymentId,
        timeouts: { connectMs: r.connectTimeoutMs, firstTokenMs: r.firstTokenTimeoutMs, totalMs: r.totalTimeoutMs },
      })),
    });
  }
  for (const p of platforms) {
    snap.platforms.set(p.id, {
      id: p.id,
      name: p.name,
      vendor: p.vendor as VendorId,
      baseUrl: trimSlash(p.baseUrl),
      apiVersion: p.apiVersion,
      internal: p.internal,
      active: p.status === "active",
      keys: p.keys.flatMap((k) => {
        const c = credById.get(k.credentialId);
        return c
          ? [{ id: k.id, weight: k.weight, credentialId: c.id, ciphertext: c.ciphertext, credentialWorkspaceId: c.workspaceId }]
          : [];
      }),
    });
  }
  for (const d of deployments) {
    snap.deployments.set(d.id, {
      id: d.id,
      name: d.name,
      strategy: d.strategy as Strategy,
      internal: d.internal,
      instances: d.instances.map((i) => ({
        id: i.id,
        url: trimSlash(i.url),
        weight: i.weight,
        inRotation: inRotation(i),
        proven: i.state === "healthy",
      })),
      // Round-robin position survives a rebuild, so a config change does not send the next burst to instance 0.
      pick: previous?.deployments.get(d.id)?.pick ?? newPickState(),
    });
  }
  return snap;
}

interface Holder {
  snap: GatewaySnapshot | null;
  building: Promise<GatewaySnapshot> | null;
  timer: NodeJS.Timeout | null;
  lastCheck: number;
  checking: Promise<void> | null;
  nextCheck?: Promise<void> | null;
  lastUsed: Map<string, number>;
}

const holder = () =>
  processSingleton<Holder>("gatewaySnapshot", () => ({
    snap: null,
    building: null,
    timer: null,
    lastCheck: 0,
    checking: null,
    lastUsed: new Map(),
  }));

function rebuild(h: Holder): Promise<GatewaySnapshot> {
  if (!h.building) {
    h.building = buildSnapshot(db, h.snap)
      .then((s) => {
        h.snap = s;
        return s;
      })
      .finally(() => {
        h.building = null;
      });
  }
  return h.building;
}

/** Compares the stored version with the snapshot's and rebuilds when it moved (one small query). */
export function checkVersion(): Promise<void> {
  const h = holder();
  if (!h.checking) {
    h.lastCheck = clockNow();
    h.checking = (async () => {
      const v = await readGatewayVersion(db);
      if (!h.snap || v !== h.snap.version) await rebuild(h);
    })()
      .catch((e) => logger.error("gateway snapshot refresh failed", { error: e }))
      .finally(() => {
        h.checking = null;
      });
  }
  return h.checking;
}

/**
 * The current snapshot (built on first use). Also starts the 2 s poll and the batched lastUsedAt writer.
 */
export async function gatewaySnapshot(): Promise<GatewaySnapshot> {
  const h = holder();
  if (!h.timer) {
    h.timer = setInterval(() => {
      void checkVersion();
      void flushLastUsed();
    }, 2_000);
    h.timer.unref();
  }
  return h.snap ?? rebuild(h);
}

/**
 * On a miss (unknown key or model) the configuration may have changed a moment ago: check the version before
 * answering. Checks are spaced at least 250 ms apart (a miss inside that window waits for the next one), so a
 * flood of bad keys costs at most four small queries a second and a key created just now is never refused.
 */
export async function refreshOnMiss(): Promise<GatewaySnapshot> {
  const h = holder();
  if (h.checking) await h.checking;
  const wait = h.lastCheck + 250 - clockNow();
  if (wait > 0) {
    h.nextCheck ??= new Promise<void>((r) => setTimeout(r, wait)).then(() => {
      h.nextCheck = null;
      return checkVersion();
    });
    await h.nextCheck;
  } else await checkVersion();
  return h.snap ?? rebuild(h);
}

/** Rebuilds now (tests, and after this process changed the configuration). */
export async function refreshSnapshotNow(): Promise<GatewaySnapshot> {
  return rebuild(holder());
}

/** Notes a key's use; written in one update every two seconds, never per request. */
export function touchVirtualKey(id: string, at = clockNow()) {
  holder().lastUsed.set(id, at);
}

export async function flushLastUsed(): Promise<void> {
  const h = holder();
  if (!h.lastUsed.size) return;
  const batch = h.lastUsed;
  h.lastUsed = new Map();
  const at = new Date(Math.max(...batch.values()));
  try {
    // registry-neutral: lastUsedAt is not in the snapshot.
    await db.virtualKey.updateMany({ where: { id: { in: [...batch.keys()] } }, data: { lastUsedAt: at } });
  } catch (e) {
    logger.warn("virtual key lastUsedAt update failed", { error: e });
  }
}

export function stopSnapshot() {
  const h = holder();
  if (h.timer) clearInterval(h.timer);
  h.timer = null;
}
