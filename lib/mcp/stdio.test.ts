import { afterEach, describe, expect, it } from "vitest";
import { createMcpServerSchema } from "../schemas/mcp";
import { redact } from "./client";
import { parseStdioCommands, setStdioPolicyForTests, stdioRefusal } from "./stdio";

afterEach(() => setStdioPolicyForTests(null));

describe("stdio policy", () => {
  it("parses the allow-list: trimmed, without empties or duplicates", () => {
    expect(parseStdioCommands(" npx, /usr/local/bin/mcp-fs ,,npx ")).toEqual(["npx", "/usr/local/bin/mcp-fs"]);
    expect(parseStdioCommands("")).toEqual([]);
  });

  it("allows only an exact entry while enabled", () => {
    setStdioPolicyForTests({ enabled: false, commands: ["npx"] });
    expect(stdioRefusal("npx")).toMatch(/switched off.*SWITCHBOARD_MCP_STDIO=1/);
    setStdioPolicyForTests({ enabled: true, commands: ["npx", "/opt/bin/srv"] });
    expect(stdioRefusal("npx")).toBeNull();
    expect(stdioRefusal("/opt/bin/srv")).toBeNull();
    expect(stdioRefusal("/usr/bin/npx")).toMatch(/not allowed.*npx, \/opt\/bin\/srv/);
    expect(stdioRefusal("srv")).toMatch(/not allowed/);
    setStdioPolicyForTests({ enabled: true, commands: [] });
    expect(stdioRefusal("npx")).toMatch(/has not listed any command/);
  });

  it("blanks configured values out of stderr", () => {
    expect(redact("token=abc123 and abc123 again", ["abc123", "x"])).toBe("token=*** and *** again");
  });
});

describe("create schema by transport", () => {
  const issues = (v: unknown) => {
    const r = createMcpServerSchema.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("asks a stdio server for a command and refuses a URL or headers", () => {
    expect(issues({ name: "local", transport: "stdio" })).toEqual(["command: Required for a stdio server"]);
    expect(issues({ name: "local", transport: "stdio", command: "npx", args: ["-y", "pkg"] })).toEqual([]);
    expect(issues({ name: "local", transport: "stdio", command: "./bin/srv" })[0]).toMatch(/^command: Give an absolute path/);
    expect(issues({ name: "local", transport: "stdio", command: "npx -y pkg" })[0]).toMatch(/^command:/);
    expect(issues({ name: "local", transport: "stdio", command: "npx", url: "https://x.example/mcp" })).toEqual([
      "url: A stdio server has no URL",
    ]);
    expect(issues({ name: "local", transport: "stdio", command: "npx", headers: [{ name: "X-Key", value: "v" }] })[0]).toMatch(/^headers:/);
    expect(issues({ name: "local", transport: "stdio", command: "npx", env: [{ name: "1BAD", value: "v" }] })[0]).toMatch(/^env\.0\.name:/);
  });
  it("asks an HTTP server for a URL and refuses stdio fields", () => {
    expect(issues({ name: "remote" })).toEqual(["url: Required"]);
    expect(issues({ name: "remote", url: "ftp://x" })).toEqual(["url: Enter an http(s) URL"]);
    expect(issues({ name: "remote", url: "https://x.example/mcp", command: "npx" })).toEqual([
      "command: Only a stdio server has a command",
    ]);
    expect(issues({ name: "remote", url: "https://x.example/mcp", env: [{ name: "A", value: "b" }] })).toEqual([
      "env: Only a stdio server has environment variables",
    ]);
  });
});
