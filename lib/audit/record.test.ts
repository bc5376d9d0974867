import { describe, expect, it } from "vitest";
import { diffFields, REDACTED } from "./record";

type Row = { name: string; description: string; apiKey: string | null; count: number; tags: string[] };

describe("diffFields", () => {
  const before: Row = { name: "A", description: "same", apiKey: "sk-old-secret", count: 1, tags: ["x"] };

  it("lists changed fields with from/to and omits unchanged ones", () => {
    const after: Row = { ...before, name: "B", tags: ["x", "y"] };
    expect(diffFields(before, after, { fields: ["name", "description", "count", "tags"] })).toEqual({
      name: { from: "A", to: "B" },
      tags: { from: ["x"], to: ["x", "y"] },
    });
    expect(diffFields(before, { ...before }, { fields: ["name", "description", "apiKey", "count", "tags"] })).toEqual({});
  });

  it("only looks at the fields it is given", () => {
    expect(diffFields(before, { ...before, count: 2 }, { fields: ["name"] })).toEqual({});
  });

  it("reports a changed secret as redacted, never with its values", () => {
    const after: Row = { ...before, apiKey: "sk-new-secret" };
    const out = diffFields(before, after, { fields: ["name", "apiKey"], secret: ["apiKey"] });
    expect(out).toEqual({ apiKey: { from: REDACTED, to: REDACTED } });
    expect(REDACTED).toBe("[redacted]");
    expect(JSON.stringify(out)).not.toMatch(/sk-(old|new)-secret/);
  });

  it("shows a secret being set or cleared as null <-> [redacted]", () => {
    const cleared = diffFields(before, { ...before, apiKey: null }, { fields: ["apiKey"], secret: ["apiKey"] });
    expect(cleared).toEqual({ apiKey: { from: REDACTED, to: null } });
    const set = diffFields(null, before, { fields: ["apiKey"], secret: ["apiKey"] });
    expect(set).toEqual({ apiKey: { from: null, to: REDACTED } });
  });

  it("omits an unchanged secret", () => {
    expect(diffFields(before, { ...before }, { fields: ["apiKey"], secret: ["apiKey"] })).toEqual({});
  });

  it("treats creation and deletion as from/to null", () => {
    expect(diffFields(null, { name: "N" }, { fields: ["name"] })).toEqual({ name: { from: null, to: "N" } });
    expect(diffFields({ name: "N" }, null, { fields: ["name"] })).toEqual({ name: { from: "N", to: null } });
  });
});
