import type { Strategy } from "../schemas/deployments";

export interface Candidate {
  id: string;
  weight: number;
}

/**
 * Per-deployment selection state the caller keeps between requests (the gateway holds one per deployment):
 * a round-robin cursor, smooth-weighted-round-robin credits, and in-flight request counts it maintains itself.
 */
export interface PickState {
  next: number;
  credits: Map<string, number>;
  inFlight: Map<string, number>;
}

export const newPickState = (): PickState => ({ next: 0, credits: new Map(), inFlight: new Map() });

function roundRobin<T extends Candidate>(instances: T[], state: PickState): T {
  const picked = instances[state.next % instances.length];
  state.next = (state.next + 1) % Number.MAX_SAFE_INTEGER;
  return picked;
}

// nginx's smooth weighted round robin: deterministic, and spreads a heavy instance's turns instead of bunching them.
function weighted<T extends Candidate>(instances: T[], state: PickState): T {
  let total = 0;
  let best: T | null = null;
  let bestCredit = -Infinity;
  for (const inst of instances) {
    const w = Math.max(1, inst.weight);
    total += w;
    const credit = (state.credits.get(inst.id) ?? 0) + w;
    state.credits.set(inst.id, credit);
    if (credit > bestCredit) {
      best = inst;
      bestCredit = credit;
    }
  }
  state.credits.set(best!.id, bestCredit - total);
  return best!;
}

function leastInFlight<T extends Candidate>(instances: T[], state: PickState): T {
  const min = Math.min(...instances.map((i) => state.inFlight.get(i.id) ?? 0));
  // Ties rotate, so an idle deployment still spreads its requests.
  return roundRobin(
    instances.filter((i) => (state.inFlight.get(i.id) ?? 0) === min),
    state,
  );
}

/** Chooses one of the instances in rotation (the caller passes healthy, enabled ones); null when there are none. */
export function pickInstance<T extends Candidate>(strategy: Strategy, instances: T[], state: PickState): T | null {
  if (!instances.length) return null;
  switch (strategy) {
    case "round-robin":
      return roundRobin(instances, state);
    case "weighted":
      return weighted(instances, state);
    case "least-inflight":
      return leastInFlight(instances, state);
  }
}
