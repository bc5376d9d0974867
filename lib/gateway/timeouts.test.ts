import { describe, expect, it } from "vitest";
import { routeInputSchema, routeTimeoutsSchema } from "../schemas/models";
import { timeoutsFor } from "./timeouts";
import { DEFAULT_TIMEOUTS } from "./upstream";

describe("per-route timeouts", () => {
  it("a route without its own values uses the defaults; set fields replace only themselves", () => {
    expect(timeoutsFor({ timeouts: { connectMs: null, firstTokenMs: null, totalMs: null } }, DEFAULT_TIMEOUTS)).toBe(DEFAULT_TIMEOUTS);
    expect(timeoutsFor({}, DEFAULT_TIMEOUTS)).toBe(DEFAULT_TIMEOUTS);
    expect(timeoutsFor({ timeouts: { connectMs: null, firstTokenMs: 2_000, totalMs: null } }, DEFAULT_TIMEOUTS)).toEqual({
      connectMs: 10_000,
      firstByteMs: 2_000,
      totalMs: 600_000,
    });
    expect(timeoutsFor({ timeouts: { connectMs: 500, firstTokenMs: null, totalMs: 30_000 } }, DEFAULT_TIMEOUTS)).toEqual({
      connectMs: 500,
      firstByteMs: 60_000,
      totalMs: 30_000,
    });
  });

  it("validates 100 ms to one hour, whole numbers, first token and connect within the total", () => {
    const problems = (v: unknown) => {
      const r = routeTimeoutsSchema.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(problems({ connectMs: 100, firstTokenMs: 3_600_000, totalMs: 3_600_000 })).toEqual([]);
    expect(problems({ connectMs: null, firstTokenMs: null })).toEqual([]);
    expect(problems({ connectMs: 99 })).toEqual(["connectMs: Must be between 100 and 3,600,000 ms"]);
    expect(problems({ totalMs: 3_600_001 })).toEqual(["totalMs: Must be between 100 and 3,600,000 ms"]);
    expect(problems({ firstTokenMs: 1.5 })).toEqual(["firstTokenMs: Must be a whole number of milliseconds"]);
    expect(problems({ firstTokenMs: 5_000, totalMs: 1_000 })).toEqual(["firstTokenMs: Must not exceed the total timeout"]);
    expect(problems({ connectMs: 5_000, totalMs: 1_000 })).toEqual(["connectMs: Must not exceed the total timeout"]);
    expect(problems({ idleMs: 5 })).toHaveLength(1);
    const route = routeInputSchema.safeParse({ platformId: "p1", timeouts: { firstTokenMs: 50 } });
    expect(route.success).toBe(false);
  });
});
