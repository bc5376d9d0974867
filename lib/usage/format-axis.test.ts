import { describe, expect, it } from "vitest";
import { moneyAxis } from "./format-axis";

const labels = (max: number) => {
  const axis = moneyAxis(max);
  return axis.ticks.map(axis.format);
};

describe("money axis", () => {
  it("shows a few cents in tenths of a cent, each tick its own label", () => {
    expect(moneyAxis(0.005).ticks).toEqual([0, 0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(labels(0.005)).toEqual(["$0", "$0.001", "$0.002", "$0.003", "$0.004", "$0.005"]);
    // A compact format with one decimal read "$0" on every tick of this range.
    expect(new Set(labels(0.0042)).size).toBe(moneyAxis(0.0042).ticks.length);
    expect(labels(0.0000031)).toEqual(["$0", "$0.000001", "$0.000002", "$0.000003", "$0.000004"]);
  });

  it("rounds up past the largest value without float noise", () => {
    expect(moneyAxis(0.0071)).toMatchObject({ ticks: [0, 0.002, 0.004, 0.006, 0.008], domain: [0, 0.008] });
    expect(moneyAxis(0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
    expect(moneyAxis(0.7).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(moneyAxis(0.3).ticks.length).toBeLessThanOrEqual(6);
  });

  it("keeps cents below a dollar and drops them from whole dollars up", () => {
    expect(labels(2.4)).toEqual(["$0", "$0.50", "$1.00", "$1.50", "$2.00", "$2.50"]);
    expect(labels(0.06)).toEqual(["$0", "$0.02", "$0.04", "$0.06"]);
    expect(labels(37)).toEqual(["$0", "$10", "$20", "$30", "$40"]);
    expect(labels(450)).toEqual(["$0", "$100", "$200", "$300", "$400", "$500"]);
  });

  it("writes thousands and millions compactly", () => {
    expect(labels(5000)).toEqual(["$0", "$1K", "$2K", "$3K", "$4K", "$5K"]);
    expect(labels(1200)).toEqual(["$0", "$500", "$1K", "$1.5K"]);
    expect(labels(2_300_000)).toEqual(["$0", "$500K", "$1M", "$1.5M", "$2M", "$2.5M"]);
  });

  it("gives an empty range a $0 to $1 axis", () => {
    expect(labels(0)).toEqual(["$0", "$0.20", "$0.40", "$0.60", "$0.80", "$1.00"]);
    expect(moneyAxis(Number.NaN).domain).toEqual([0, 1]);
  });
});
