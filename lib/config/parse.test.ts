import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { MAX_CONFIG_BYTES, parseConfigJson, parseConfigText } from "./parse";
import { watchEventLoop } from "../testing/event-loop";

async function parseError(text: string) {
  try {
    await parseConfigText(text);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return e;
  }
  throw new Error("expected parseConfigText to throw");
}

describe("parseConfigText", async () => {
  it("parses a YAML document", async () => {
    const doc = await parseConfigText("workspaces:\n  - name: Team A\n    description: first\n  - name: Team B\n");
    expect(doc).toEqual({ workspaces: [{ name: "Team A", description: "first" }, { name: "Team B" }] });
  });

  it("parses JSON text", async () => {
    expect(await parseConfigText('{"workspaces": [{"name": "Team A"}], "n": 3, "ok": true}')).toEqual({
      workspaces: [{ name: "Team A" }],
      n: 3,
      ok: true,
    });
  });

  it("treats an empty document as an empty configuration", async () => {
    expect(await parseConfigText("")).toEqual({});
    expect(await parseConfigText("  \n\n")).toEqual({});
  });

  it("refuses a billion-laughs alias bomb quickly", async () => {
    let y = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let i = 0; i < 9; i++)
      y += `b${i}: &b${i} [${Array(10)
        .fill(i ? `*b${i - 1}` : "*a")
        .join(", ")}]\n`;
    await parseConfigText("warm: up");
    const started = performance.now();
    const e = await parseError(y);
    expect(performance.now() - started).toBeLessThan(500);
    expect(e.code).toBe("bad_request");
    expect(e.message).toMatch(/alias/i);
  });

  it("refuses custom tags such as !!js/function instead of running or keeping them", async () => {
    const fn = await parseError('workspaces:\n  - name: !!js/function "function () { return process.exit(1) }"\n');
    expect(fn.code).toBe("bad_request");
    expect(fn.fields?.[0]).toMatchObject({ path: "line 2, column 11" });
    expect(fn.fields?.[0].message).toMatch(/tag/i);
    expect((await parseError("x: !custom value\n")).code).toBe("bad_request");
    expect((await parseError("x: !!python/object:os.system ls\n")).code).toBe("bad_request");
  });

  it("keeps a __proto__ key as data without polluting Object.prototype", async () => {
    const yaml = (await parseConfigText("__proto__:\n  polluted: yes\nworkspaces: []\n")) as Record<string, unknown>;
    const json = (await parseConfigText('{"__proto__": {"pollutedJson": true}, "constructor": {"prototype": {"p2": 1}}}')) as Record<
      string,
      unknown
    >;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).pollutedJson).toBeUndefined();
    expect(({} as Record<string, unknown>).p2).toBeUndefined();
    expect(Object.getPrototypeOf(yaml)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.keys(yaml)).toContain("__proto__");
    expect(yaml.polluted).toBeUndefined();
  });

  it("treats a YAML merge key as plain data (no merge expansion)", async () => {
    expect(await parseConfigText("base: &b {x: 1}\nm:\n  <<: *b\n")).toEqual({ base: { x: 1 }, m: { "<<": { x: 1 } } });
  });

  it("refuses a document over 2 MiB with payload_too_large", async () => {
    const big = "x: " + "a".repeat(MAX_CONFIG_BYTES) + "\n";
    expect((await parseError(big)).code).toBe("payload_too_large");
    // Counted in bytes, not characters: 1.1M two-byte characters is over the limit.
    expect((await parseError("x: " + "é".repeat(1_100_000))).code).toBe("payload_too_large");
  });

  it("refuses a document with too many nodes", async () => {
    expect((await parseError("- 1\n".repeat(250_000))).code).toBe("payload_too_large");
    expect((await parseError("- [" + "1,".repeat(250_000) + "1]\n")).code).toBe("payload_too_large");
  });

  it("refuses deeply nested input with a clean error", async () => {
    const deep = { code: "bad_request", message: "Configuration is nested more than 64 levels deep" };
    expect(await parseError("x: " + "[".repeat(5000) + "]".repeat(5000) + "\n")).toMatchObject(deep);
    expect(await parseError("workspaces:\n" + "- ".repeat(80) + "x\n")).toMatchObject(deep);
    // 5,000 of these made V8 abort the whole process while composing ("RegExpCompiler Allocation failed").
    expect(await parseError("a:\n" + "- ".repeat(5000) + "x\n")).toMatchObject(deep);
    expect(await parseConfigText("a:\n" + "- ".repeat(60) + "x\n")).toMatchObject({ a: expect.any(Array) });
    // Aliases can nest deeper than the text does: the result is checked again, by path.
    const aliased = "a: &a " + "[".repeat(40) + "1" + "]".repeat(40) + "\nb: " + "[".repeat(40) + "*a" + "]".repeat(40) + "\n";
    expect(await parseError(aliased)).toMatchObject({
      code: "bad_request",
      fields: [{ path: expect.stringMatching(/^b\[0\]/), message: "Nested more than 64 levels deep" }],
    });
  });

  it("refuses a JSON configuration nested 100,000 deep by path, without overflowing", () => {
    let error: unknown;
    try {
      parseConfigJson(`{"workspaces": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe("bad_request");
    expect((error as { fields: unknown[] }).fields).toEqual([
      { path: expect.stringMatching(/^workspaces\[0\]\[0\]/), message: "Nested more than 64 levels deep" },
    ]);
    expect(parseConfigJson('{"workspaces": [{"name": "A"}]}')).toEqual({ workspaces: [{ name: "A" }] });
  });

  it("parses a 570 KB list off the server's thread: the event loop keeps turning", async () => {
    const text = "workspaces:\n" + Array.from({ length: 48_000 }, (_, i) => `  - ws-${i}`).join("\n");
    expect(text.length).toBeGreaterThan(570_000);
    await parseConfigText("warm: up");
    const { result, busyMs } = await watchEventLoop(() => parseConfigText(text) as Promise<{ workspaces: string[] }>);
    expect(result.workspaces).toHaveLength(48_000);
    expect(busyMs).toBeLessThan(250);
  }, 60_000);

  it("refuses duplicate keys, naming the line", async () => {
    const e = await parseError("workspaces:\n  - name: A\nworkspaces:\n  - name: B\n");
    expect(e.code).toBe("bad_request");
    expect(e.fields).toEqual([{ path: "line 3, column 1", message: expect.stringMatching(/unique/i) }]);
  });

  it("reports a syntax error with its line and column", async () => {
    const e = await parseError("workspaces:\n  - name: A\n  - name: [B\nnext: }\n");
    expect(e.code).toBe("bad_request");
    expect(e.fields?.length).toBeGreaterThan(0);
    for (const f of e.fields!) expect(f.path).toMatch(/^line \d+, column \d+$/);
    expect(e.fields![0].message).not.toContain("\n");
  });
});
