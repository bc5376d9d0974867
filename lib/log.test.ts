import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "./log";

function capture(stream: NodeJS.WriteStream) {
  const lines: string[] = [];
  const spy = vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof stream.write);
  return { lines, spy };
}

afterEach(() => vi.restoreAllMocks());

describe("logger", () => {
  it("writes one JSON line per call with level and message", () => {
    const { lines } = capture(process.stdout);
    logger.info("hello", { workspaceId: "ws1", n: 2 });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith("\n")).toBe(true);
    expect(JSON.parse(lines[0])).toMatchObject({ level: "info", msg: "hello", workspaceId: "ws1", n: 2 });
  });

  it("redacts values under secret-looking keys, at any nesting", () => {
    const { lines } = capture(process.stdout);
    logger.info("sign-in", {
      email: "a@b.test",
      password: "hunter2-canary",
      token: "sbat_canary",
      headers: { Authorization: "Bearer canary-bearer", "x-api-key": "canary-key", Cookie: "sid=canary" },
      items: [{ apiKey: "canary-item", name: "n" }],
      clientSecret: "canary-secret",
      credentials: { user: "u", pass: "canary-pass" },
    });
    const line = lines.join("");
    expect(line).not.toMatch(/canary|hunter2/);
    const parsed = JSON.parse(line);
    expect(parsed.password).toBe("[redacted]");
    expect(parsed.token).toBe("[redacted]");
    expect(parsed.headers.Authorization).toBe("[redacted]");
    expect(parsed.items[0]).toEqual({ apiKey: "[redacted]", name: "n" });
    expect(parsed.email).toBe("a@b.test");
  });

  it("reduces errors to name and message (no stack at info level) on stderr", () => {
    const out = capture(process.stdout);
    const err = capture(process.stderr);
    logger.error("boom", { error: new TypeError("bad thing") });
    expect(out.lines).toHaveLength(0);
    const parsed = JSON.parse(err.lines.join(""));
    expect(parsed.error).toEqual({ name: "TypeError", message: "bad thing" });
    expect(parsed.level).toBe("error");
  });

  it("drops debug lines at the default level", () => {
    const { lines } = capture(process.stdout);
    logger.debug("noise", { a: 1 });
    expect(lines).toHaveLength(0);
  });
});
