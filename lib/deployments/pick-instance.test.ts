import { describe, expect, it } from "vitest";
import { newPickState, pickInstance } from "./pick-instance";

const a = { id: "a", weight: 1 };
const b = { id: "b", weight: 1 };
const c = { id: "c", weight: 1 };
const picks = (n: number, fn: () => { id: string } | null) => Array.from({ length: n }, () => fn()?.id).join("");

describe("pickInstance", () => {
  it("returns null when no instance is in rotation", () => {
    for (const s of ["round-robin", "weighted", "least-inflight"] as const) expect(pickInstance(s, [], newPickState())).toBeNull();
  });

  it("round robin cycles in order and keeps going when the set shrinks", () => {
    const st = newPickState();
    expect(picks(6, () => pickInstance("round-robin", [a, b, c], st))).toBe("abcabc");
    expect(picks(4, () => pickInstance("round-robin", [a, c], st))).toBe("acac");
  });

  it("weighted spreads picks in proportion to weight, interleaved (smooth)", () => {
    const st = newPickState();
    const heavy = { id: "h", weight: 5 };
    const seq = picks(14, () => pickInstance("weighted", [heavy, { id: "l", weight: 2 }], st));
    expect([...seq].filter((x) => x === "h")).toHaveLength(10);
    expect([...seq].filter((x) => x === "l")).toHaveLength(4);
    expect(seq).not.toContain("llll");
    expect(seq.slice(0, 7)).toBe("hlhhhlh");
  });

  it("weighted with equal weights behaves like round robin", () => {
    const st = newPickState();
    expect(picks(6, () => pickInstance("weighted", [a, b, c], st))).toBe("abcabc");
  });

  it("least in-flight picks the idlest instance and rotates between ties", () => {
    const st = newPickState();
    st.inFlight.set("a", 3).set("b", 1).set("c", 1);
    expect(picks(4, () => pickInstance("least-inflight", [a, b, c], st))).toBe("bcbc");
    st.inFlight.set("c", 0);
    expect(pickInstance("least-inflight", [a, b, c], st)?.id).toBe("c");
  });
});
