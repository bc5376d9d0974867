import { describe, expect, it } from "vitest";
import type { FieldProblem } from "../errors";
import { resolveEnvRefs } from "./env-refs";

const vars: Record<string, string> = { TOKEN_A: "s3cret-value-aaaaaaaaaaaaaaaa", HOST: "example.test", NESTED: "${env:TOKEN_A}" };
const lookup = (n: string) => (Object.hasOwn(vars, n) ? vars[n] : undefined);

describe("resolveEnvRefs", () => {
  it("substitutes ${env:NAME} in every string, nested in lists and mappings", () => {
    const problems: FieldProblem[] = [];
    const out = resolveEnvRefs(
      { adminTokens: [{ name: "ci", value: "${env:TOKEN_A}" }], url: "https://${env:HOST}/x/${env:HOST}", n: 3, ok: true, nil: null },
      lookup,
      problems,
    );
    expect(problems).toEqual([]);
    expect(out).toEqual({
      adminTokens: [{ name: "ci", value: vars.TOKEN_A }],
      url: "https://example.test/x/example.test",
      n: 3,
      ok: true,
      nil: null,
    });
  });

  it("does not expand a reference found inside a variable's value", () => {
    expect(resolveEnvRefs("${env:NESTED}", lookup, [])).toBe("${env:TOKEN_A}");
  });

  it("leaves text that only looks like a reference alone", () => {
    expect(resolveEnvRefs("${env:}-${HOST}-$env:HOST-${env:1BAD}", lookup, [])).toBe("${env:}-${HOST}-$env:HOST-${env:1BAD}");
  });

  it("reports a missing variable by path and name, never with a value", () => {
    const problems: FieldProblem[] = [];
    resolveEnvRefs({ adminTokens: [{ name: "x" }, { name: "ci", value: "${env:TOKEN_A}:${env:MISSING_ONE}" }] }, lookup, problems);
    expect(problems).toEqual([{ path: "adminTokens[1].value", message: "Environment variable MISSING_ONE is not set" }]);
    expect(JSON.stringify(problems)).not.toContain(vars.TOKEN_A);
  });

  it("does not modify the caller's document", () => {
    const doc = { a: ["${env:HOST}"] };
    resolveEnvRefs(doc, lookup, []);
    expect(doc).toEqual({ a: ["${env:HOST}"] });
  });

  it("copies a __proto__ key as data without polluting prototypes", () => {
    const doc = JSON.parse('{"__proto__": {"polluted": "${env:HOST}"}, "ok": 1}');
    const out = resolveEnvRefs(doc, lookup, []) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ polluted: "example.test" });
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
