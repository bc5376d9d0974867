import { describe, expect, it } from "vitest";
import { formatPath, toPage, zodProblems, z } from "./zod";
import { addMemberSchema, createWorkspaceSchema } from "./workspaces";

describe("formatPath", () => {
  it("writes paths the way a person editing a file reads them", () => {
    expect(formatPath(["workspaces", 1, "name"])).toBe("workspaces[1].name");
    expect(formatPath(["a", "b", 0, 2, "c"])).toBe("a.b[0][2].c");
    expect(formatPath([0, "name"])).toBe("[0].name");
    expect(formatPath([])).toBe("");
  });
});

describe("zodProblems", () => {
  it('says "Required" for a missing field', () => {
    const r = createWorkspaceSchema.safeParse({});
    expect(r.success).toBe(false);
    expect(zodProblems(r.error!)).toEqual([{ path: "name", message: "Required" }]);
  });

  it("keeps the schema's own message for a present but invalid field", () => {
    const r = createWorkspaceSchema.safeParse({ name: "x" });
    expect(zodProblems(r.error!)).toEqual([{ path: "name", message: "Must be at least 2 characters" }]);
    const wrongType = createWorkspaceSchema.safeParse({ name: 42 });
    expect(zodProblems(wrongType.error!)[0].message).not.toBe("Required");
  });

  it("lists unknown keys by name and puts root problems under (root)", () => {
    const one = createWorkspaceSchema.safeParse({ name: "Valid", colour: "red" });
    expect(zodProblems(one.error!)).toEqual([{ path: "(root)", message: "Unknown field: colour" }]);
    const two = addMemberSchema.safeParse({ email: "a@b.test", role: "ADMIN", isAdmin: true, extra: 1 });
    expect(zodProblems(two.error!)).toEqual([{ path: "(root)", message: "Unknown fields: isAdmin, extra" }]);
  });

  it("prefixes paths, e.g. for items of a config section", () => {
    const r = z.object({ name: z.string() }).safeParse({});
    expect(zodProblems(r.error!, ["workspaces", 1])).toEqual([{ path: "workspaces[1].name", message: "Required" }]);
  });
});

describe("toPage", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id${i}` }));

  it("splits off the extra row as the cursor to the next page", () => {
    expect(toPage(rows(3), 2)).toEqual({ data: [{ id: "id0" }, { id: "id1" }], nextCursor: "id1" });
  });

  it("has no cursor on the last page", () => {
    expect(toPage(rows(2), 2)).toEqual({ data: rows(2), nextCursor: null });
    expect(toPage([], 5)).toEqual({ data: [], nextCursor: null });
  });
});
