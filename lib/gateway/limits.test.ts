import { describe, expect, it } from "vitest";
import { monthKey } from "./limits";

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
