import { describe, expect, it } from "vitest";
import { MemoryLimits, monthKey, toUnits } from "./limits";

describe("monthKey", () => {
  it("names the UTC month of each instant, across month and year boundaries, whatever order it is asked in", () => {
    const at = (iso: string) => Date.parse(iso);
    const cases: [string, string][] = [
      ["2031-01-31T23:59:59.999Z", "2031-01"],
      ["2031-02-01T00:00:00.000Z", "2031-02"],
      ["2031-01-15T12:00:00.000Z", "2031-01"],
      ["2030-12-31T23:59:59.999Z", "2030-12"],
      ["2031-12-31T23:59:59.999Z", "2031-12"],
      ["2032-01-01T00:00:00.000Z", "2032-01"],
      ["2031-02-28T23:59:59.999Z", "2031-02"],
    ];
    for (const [iso, key] of cases) expect(monthKey(at(iso)), iso).toBe(key);
  });
});

describe("money units (1e-8 USD, the scale costs are recorded at)", () => {
  it("reads decimal strings exactly and numbers at 8 places, so sub-micro-dollar costs count", () => {
    expect(toUnits("0.00000045")).toBe(45n);
    expect(toUnits("0.00000001")).toBe(1n);
    expect(toUnits("0")).toBe(0n);
    expect(toUnits("12345678901.23456789")).toBe(1234567890123456789n);
    expect(toUnits("1.000000005")).toBe(100000001n); // half up past the 8th place
    expect(toUnits("1.000000004999")).toBe(100000000n);
    expect(toUnits(0.1)).toBe(10_000_000n);
    expect(toUnits(0.00001)).toBe(1000n);
    expect(toUnits(1e6)).toBe(100_000_000_000_000n);
    expect(() => toUnits("-1")).toThrow(RangeError);
    expect(() => toUnits(1e21)).toThrow(RangeError);
  });

  it("in memory, a budget past 2^53 units ($90M) is held to the last 1e-8 USD", async () => {
    const now = Date.UTC(2026, 10, 22);
    const l = new MemoryLimits(async () => "99999999.99999998");
    const budget = { monthlyBudgetUsd: 100_000_000 };
    expect((await l.reserve("big", budget, 1, "0.00000001", now)).ok).toBe(true);
    expect(l.peek("big", now).spendUnits).toBe(9_999_999_999_999_999n);
    expect((await l.reserve("big", budget, 1, "0.00000001", now)).ok).toBe(true);
    expect(await l.reserve("big", budget, 1, "0.00000001", now)).toMatchObject({ ok: false, limit: "budget" });
  });
});
