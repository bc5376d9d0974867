import { describe, expect, it } from "vitest";
import { formatPath, textSchema, toPage, zodProblems, z } from "./zod";
import { addMemberSchema, createWorkspaceSchema, updateWorkspaceSchema } from "./workspaces";
import { createPlatformSchema, platformConfigSchema, updatePlatformSchema } from "./platforms";
import { createDeploymentSchema } from "./deployments";
import { createModelSchema, addPriceSchema } from "./models";
import { createCredentialSchema } from "./credentials";
import { createVirtualKeySchema } from "./virtual-keys";
import { createAdminTokenSchema } from "./tokens";

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

describe("textSchema", () => {
  it("refuses control characters; multi-line text keeps tab, line feed and carriage return", () => {
    const line = textSchema({ max: 50 });
    const text = textSchema({ max: 50, multiline: true });
    for (const bad of ["a\u0000b", "a\u0007", "\u001bx[31m", "a\u007fb", "a\u0085b", "a\u009bb"]) {
      expect(line.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(text.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(text.parse(" two\r\nlines\tand a tab ")).toBe("two\r\nlines\tand a tab");
    expect(zodProblems(line.safeParse("two\nlines").error!)).toEqual([
      { path: "(root)", message: "Must be one line without control characters" },
    ]);
    expect(line.parse("Zürich 東京 — ok")).toBe("Zürich 東京 — ok");
  });

  it("reports a control character once, before a name's own pattern", () => {
    expect(zodProblems(createWorkspaceSchema.safeParse({ name: "ab\u0000c" }).error!)).toEqual([
      { path: "name", message: "Must be one line without control characters" },
    ]);
  });

  // Every free-text field of the schemas the console, the admin API and config files share.
  const NUL = "before\u0000after";
  const cases: [string, z.ZodType, Record<string, unknown>, string][] = [
    ["workspace description", createWorkspaceSchema, { name: "Team" }, "description"],
    ["workspace description (update)", updateWorkspaceSchema, {}, "description"],
    ["platform notes", createPlatformSchema, { name: "P1", vendor: "openai", baseUrl: "https://api.openai.com/v1" }, "notes"],
    ["platform notes (update)", updatePlatformSchema, {}, "notes"],
    ["platform notes (config)", platformConfigSchema, { name: "P1", vendor: "openai", baseUrl: "https://api.openai.com/v1" }, "notes"],
    ["deployment notes", createDeploymentSchema, { name: "D1", instances: [{ url: "http://10.0.0.1:8000/v1" }] }, "notes"],
    ["model description", createModelSchema, { name: "m1", contextWindow: 1000, maxOutputTokens: 100 }, "description"],
    ["model provider", createModelSchema, { name: "m1", contextWindow: 1000, maxOutputTokens: 100 }, "provider"],
    ["price note", addPriceSchema, { inputPerMillion: 1, outputPerMillion: 2 }, "note"],
    ["credential description", createCredentialSchema, { name: "c1", kind: "api-key", value: "v" }, "description"],
    ["credential name", createCredentialSchema, { kind: "api-key", value: "v", description: "" }, "name"],
    ["key owner", createVirtualKeySchema, { name: "k1" }, "owner"],
    ["admin token name", createAdminTokenSchema, {}, "name"],
  ];
  it.each(cases)("%s refuses a NUL byte by path", (_label, schema, base, field) => {
    expect(schema.safeParse({ ...base, [field]: "fine text" }).success).toBe(true);
    const r = schema.safeParse({ ...base, [field]: NUL });
    expect(r.success).toBe(false);
    expect(zodProblems(r.error!)).toContainEqual({ path: field, message: expect.stringMatching(/control characters/) });
  });
});
