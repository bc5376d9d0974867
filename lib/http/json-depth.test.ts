import { describe, expect, it } from "vitest";
import { depthProblem, MAX_JSON_DEPTH } from "./json-depth";

const nest = (depth: number, leaf: unknown = 1) => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

describe("depthProblem", () => {
  it("accepts 64 levels and names the path of the 65th", () => {
    expect(depthProblem(nest(MAX_JSON_DEPTH))).toBeNull();
    const p = depthProblem({ ok: [1, 2], deep: nest(MAX_JSON_DEPTH) });
    expect(p?.message).toBe("Nested more than 64 levels deep");
    expect(p?.path.startsWith("deep")).toBe(true);
    expect(p?.path.split(/[.[]/).length).toBe(MAX_JSON_DEPTH);
  });

  it("checks a body nested 100,000 levels deep without overflowing its own stack", () => {
    const text = "[".repeat(100_000) + "]".repeat(100_000);
    const started = performance.now();
    expect(depthProblem(JSON.parse(text))).toMatchObject({ path: expect.stringMatching(/^\[0\]/) });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("passes scalars, wide documents and empty containers", () => {
    expect(depthProblem("x")).toBeNull();
    expect(depthProblem(null)).toBeNull();
    expect(depthProblem({ list: Array.from({ length: 50_000 }, (_, i) => ({ i })), empty: {} })).toBeNull();
  });
});
