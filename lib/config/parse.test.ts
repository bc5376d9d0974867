import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { MAX_CONFIG_BYTES, parseConfigText } from "./parse";

function parseError(text: string) {
  try {
    parseConfigText(text);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return e;
  }
  throw new Error("expected parseConfigText to throw");
}

describe("parseConfigText", () => {
  it("parses a YAML document", () => {
    const doc = parseConfigText("workspaces:\n  - name: Team A\n    description: first\n  - name: Team B\n");
    expect(doc).toEqual({ workspaces: [{ name: "Team A", description: "first" }, { name: "Team B" }] });
  });

  it("parses JSON text", () => {
    expect(parseConfigText('{"workspaces": [{"name": "Team A"}], "n": 3, "ok": true}')).toEqual({
      workspaces: [{ name: "Team A" }],
      n: 3,
      ok: true,
    });
  });

  it("treats an empty document as an empty configuration", () => {
    expect(parseConfigText("")).toEqual({});
    expect(parseConfigText("  \n\n")).toEqual({});
  });

  it("refuses a billion-laughs alias bomb quickly", () => {
    let y = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let i = 0; i < 9; i++) y += `b${i}: &b${i} [${Array(10).fill(i ? `*b${i - 1}` : "*a").join(", ")}]\n`;
    const started = performance.now();
    const e = parseError(y);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e.code).toBe("bad_request");
    expect(e.message).toMatch(/alias/i);
  });

  it("refuses custom tags such as !!js/function instead of running or keeping them", () => {
    const fn = parseError('workspaces:\n  - name: !!js/function "function () { return process.exit(1) }"\n');
    expect(fn.code).toBe("bad_request");
    expect(fn.fields?.[0]).toMatchObject({ path: "line 2, column 11" });
    expect(fn.fields?.[0].message).toMatch(/tag/i);
    expect(parseError("x: !custom value\n").code).toBe("bad_request");
    expect(parseError("x: !!python/object:os.system ls\n").code).toBe("bad_request");
  });

  it("keeps a __proto__ key as data without polluting Object.prototype", () => {
    const yaml = parseConfigText("__proto__:\n  polluted: yes\nworkspaces: []\n") as Record<string, unknown>;
    const json = parseConfigText('{"__proto__": {"pollutedJson": true}, "constructor": {"prototype": {"p2": 1}}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).pollutedJson).toBeUndefined();
    expect(({} as Record<string, unknown>).p2).toBeUndefined();
    expect(Object.getPrototypeOf(yaml)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.keys(yaml)).toContain("__proto__");
    expect(yaml.polluted).toBeUndefined();
  });

  it("treats a YAML merge key as plain data (no merge expansion)", () => {
    expect(parseConfigText("base: &b {x: 1}\nm:\n  <<: *b\n")).toEqual({ base: { x: 1 }, m: { "<<": { x: 1 } } });
  });

  it("refuses a document over 2 MiB with payload_too_large", () => {
    const big = "x: " + "a".repeat(MAX_CONFIG_BYTES) + "\n";
    expect(parseError(big).code).toBe("payload_too_large");
    // Counted in bytes, not characters: 1.1M two-byte characters is over the limit.
    expect(parseError("x: " + "é".repeat(1_100_000)).code).toBe("payload_too_large");
  });

  it("refuses a document with too many nodes", () => {
    expect(parseError("- 1\n".repeat(250_000)).code).toBe("payload_too_large");
    expect(parseError("- [" + "1,".repeat(250_000) + "1]\n").code).toBe("payload_too_large");
  });

  it("refuses deeply nested input with a clean error", () => {
    const e = parseError("x: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
    expect(["bad_request", "payload_too_large"]).toContain(e.code);
  });

  it("refuses duplicate keys, naming the line", () => {
    const e = parseError("workspaces:\n  - name: A\nworkspaces:\n  - name: B\n");
    expect(e.code).toBe("bad_request");
    expect(e.fields).toEqual([{ path: "line 3, column 1", message: expect.stringMatching(/unique/i) }]);
  });

  it("reports a syntax error with its line and column", () => {
    const e = parseError("workspaces:\n  - name: A\n  - name: [B\nnext: }\n");
    expect(e.code).toBe("bad_request");
    expect(e.fields?.length).toBeGreaterThan(0);
    for (const f of e.fields!) expect(f.path).toMatch(/^line \d+, column \d+$/);
    expect(e.fields![0].message).not.toContain("\n");
  });
});
