import { describe, expect, it } from "vitest";
import { inRotation, nextHealth, type HealthCounters } from "./health-state";

const t = { unhealthyAfter: 3, healthyAfter: 2 };
const run = (start: HealthCounters, results: boolean[], thresholds = t) => {
  const states: string[] = [];
  let cur = start;
  for (const ok of results) {
    cur = nextHealth(cur, ok, thresholds);
    states.push(cur.state);
  }
  return { cur, states };
};
const fresh: HealthCounters = { state: "unknown", consecutiveFailures: 0, consecutiveSuccesses: 0 };

describe("instance health state machine", () => {
  it("unknown becomes healthy only after M successes in a row", () => {
    expect(run(fresh, [true, true]).states).toEqual(["unknown", "healthy"]);
    expect(run(fresh, [true, false, true]).states).toEqual(["unknown", "unknown", "unknown"]);
  });

  it("unknown becomes unhealthy after N failures in a row", () => {
    expect(run(fresh, [false, false, false]).states).toEqual(["unknown", "unknown", "unhealthy"]);
  });

  it("healthy survives N-1 failures, and a success in between resets the failure count", () => {
    const healthy: HealthCounters = { state: "healthy", consecutiveFailures: 0, consecutiveSuccesses: 5 };
    expect(run(healthy, [false, false, true, false, false]).states).toEqual(["healthy", "healthy", "healthy", "healthy", "healthy"]);
    const { states, cur } = run(healthy, [false, false, false]);
    expect(states).toEqual(["healthy", "healthy", "unhealthy"]);
    expect(cur).toMatchObject({ consecutiveFailures: 3, consecutiveSuccesses: 0 });
  });

  it("unhealthy returns after M consecutive successes, and reports the change once", () => {
    const sick: HealthCounters = { state: "unhealthy", consecutiveFailures: 7, consecutiveSuccesses: 0 };
    const a = nextHealth(sick, true, t);
    expect(a).toMatchObject({ state: "unhealthy", changed: false, consecutiveFailures: 0, consecutiveSuccesses: 1 });
    const b = nextHealth(a, true, t);
    expect(b).toMatchObject({ state: "healthy", changed: true });
    expect(nextHealth(b, true, t).changed).toBe(false);
  });

  it("thresholds of 1 flip on every result", () => {
    expect(run(fresh, [true, false, true, false], { unhealthyAfter: 1, healthyAfter: 1 }).states).toEqual([
      "healthy",
      "unhealthy",
      "healthy",
      "unhealthy",
    ]);
  });

  it("rotation: never checked and unknown without a failure serve; a failure takes unknown out; unhealthy stays out until healthy", () => {
    expect(inRotation(fresh)).toBe(true);
    const probed = run(fresh, [true]).cur; // one success of two: still unknown, still serving
    expect([probed.state, inRotation(probed)]).toEqual(["unknown", true]);
    const failed = run(fresh, [true, false]).cur;
    expect([failed.state, inRotation(failed)]).toEqual(["unknown", false]);
    const back = run(failed, [true]).cur;
    expect([back.state, inRotation(back)]).toEqual(["unknown", true]);
    const healthy = run(fresh, [true, true, false]).cur;
    expect([healthy.state, inRotation(healthy)]).toEqual(["healthy", true]);
    const sick = run(fresh, [false, false, false, true]).cur;
    expect([sick.state, inRotation(sick)]).toEqual(["unhealthy", false]);
  });
});
