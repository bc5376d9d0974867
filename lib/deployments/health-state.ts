import type { InstanceState } from "../schemas/deployments";

export interface HealthCounters {
  state: InstanceState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}

/**
 * The instance health state machine. Each probe result resets the opposite counter; a state changes only when
 * its threshold is reached: unknown or unhealthy -> healthy after `healthyAfter` successes in a row,
 * unknown or healthy -> unhealthy after `unhealthyAfter` failures in a row.
 */
export function nextHealth(
  cur: HealthCounters,
  ok: boolean,
  t: { unhealthyAfter: number; healthyAfter: number },
): HealthCounters & { changed: boolean } {
  const consecutiveSuccesses = ok ? cur.consecutiveSuccesses + 1 : 0;
  const consecutiveFailures = ok ? 0 : cur.consecutiveFailures + 1;
  let state = cur.state;
  if (ok && state !== "healthy" && consecutiveSuccesses >= t.healthyAfter) state = "healthy";
  if (!ok && state !== "unhealthy" && consecutiveFailures >= t.unhealthyAfter) state = "unhealthy";
  return { state, consecutiveFailures, consecutiveSuccesses, changed: state !== cur.state };
}

/**
 * Whether an instance takes traffic: a healthy one, and one not yet proven either way ("unknown") as long as
 * nothing it did since its last success failed: a new or re-pointed instance serves its first request without
 * waiting `healthyAfter` probe intervals, and leaves rotation at its first failed probe or refused connection
 * (passive checks, lib/deployments/passive-health.ts), as Envoy and nginx treat new hosts. An unhealthy one
 * comes back only after `healthyAfter` successes.
 */
export function inRotation(h: { state: string; consecutiveFailures: number }): boolean {
  return h.state === "healthy" || (h.state === "unknown" && h.consecutiveFailures === 0);
}
