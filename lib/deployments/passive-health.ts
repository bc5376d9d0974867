import { db } from "../db/client";
import { processSingleton } from "../db/global";
import { logger } from "../log";
import type { InstanceState } from "../schemas/deployments";
import { registryWrite } from "../gateway/registry-write";
import { inRotation, nextHealth } from "./health-state";

// Passive health checks. An instance its probes have not proven healthy takes traffic (health-state.ts
// inRotation), so a gateway request may be the first to find it down: a refused connection then counts as a
// failed check, which takes the instance out of rotation on every app instance (the version bump rebuilds their
// snapshots) until a probe succeeds. Proven instances are left to the circuit breakers, as before: one refused
// connection does not outweigh their probes. Written off the request path, at most one write at a time per
// instance, so a burst of failing requests costs one write.

const writes = () => processSingleton("passiveHealthWrites", () => new Map<string, Promise<void>>());

/** A gateway request could not connect to an unproven instance (called from the attempt loop; never throws). */
export function noteRefusedConnection(instanceId: string, error: string): void {
  const pending = writes();
  if (pending.has(instanceId)) return;
  const write = recordRefusedConnection(instanceId, error, new Date())
    .catch((e) => logger.error("passive health check could not be recorded", { instanceId, error: e }))
    .finally(() => pending.delete(instanceId));
  pending.set(instanceId, write);
}

/** Resolves when the recorded failures are written (tests and shutdown). */
export async function passiveChecksSettled(): Promise<void> {
  while (writes().size) await Promise.all(writes().values());
}

async function recordRefusedConnection(instanceId: string, error: string, at: Date): Promise<void> {
  await registryWrite(db, async (tx) => {
    const cur = await tx.deploymentInstance.findUnique({
      where: { id: instanceId },
      include: { deployment: { select: { name: true, unhealthyAfter: true, healthyAfter: true } } },
    });
    // Gone, disabled or proven healthy meanwhile (the gateway's snapshot was older): nothing to count.
    if (!cur || !cur.enabled || cur.state === "healthy") return { result: undefined, audit: null };
    const next = nextHealth(
      { state: cur.state as InstanceState, consecutiveFailures: cur.consecutiveFailures, consecutiveSuccesses: cur.consecutiveSuccesses },
      false,
      cur.deployment,
    );
    const message = `During a request: ${error}`.slice(0, 200);
    await tx.healthCheck.create({ data: { instanceId, at, ok: false, error: message } });
    await tx.deploymentInstance.update({
      where: { id: instanceId },
      data: {
        state: next.state,
        consecutiveFailures: next.consecutiveFailures,
        consecutiveSuccesses: next.consecutiveSuccesses,
        lastCheckAt: at,
        lastError: message,
        ...(next.changed ? { stateChangedAt: at } : {}),
      },
    });
    logger.warn("deployment instance refused a request's connection", {
      deployment: cur.deployment.name,
      instance: cur.url,
      state: next.state,
      error,
    });
    return { result: undefined, audit: null, snapshot: next.changed || inRotation(cur) !== inRotation(next) };
  });
}
