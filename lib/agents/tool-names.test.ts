import { describe, expect, it } from "vitest";
import { assignToolNames, TOOL_NAME_PATTERN, toolPrefix } from "./tool-names";

describe("tool names", () => {
  it("prefixes each tool with its connector's name, sanitized", () => {
    expect(toolPrefix("billing prod (EU)")).toBe("billing_prod_EU");
    expect(toolPrefix("Café/crème")).toBe("Cafe_creme");
    expect(toolPrefix("···")).toBe("connector");
    expect(toolPrefix("a".repeat(40))).toHaveLength(24);
  });

  it("keeps names unique and valid when two connectors share a provider or sanitize alike", () => {
    const entries = [
      { connectorId: "c1", connectorName: "billing prod", toolName: "listCharges" },
      { connectorId: "c2", connectorName: "billing test", toolName: "listCharges" },
      { connectorId: "c3", connectorName: "billing_prod", toolName: "listCharges" },
      { connectorId: "c4", connectorName: "billing·prod", toolName: "listCharges" },
    ];
    const names = assignToolNames(entries);
    expect(names[0]).toBe("billing_prod__listCharges");
    expect(names[1]).toBe("billing_test__listCharges");
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(TOOL_NAME_PATTERN);
    expect(assignToolNames(entries)).toEqual(names);
  });

  it("cuts long names to 64 characters with a hash, deterministically", () => {
    const long = "x".repeat(64);
    const [a, b] = assignToolNames([
      { connectorId: "c1", connectorName: "github-main", toolName: long },
      { connectorId: "c1", connectorName: "github-main", toolName: `${long.slice(0, 63)}y` },
    ]);
    expect(a).toHaveLength(64);
    expect(b).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(a).toMatch(TOOL_NAME_PATTERN);
    expect(assignToolNames([{ connectorId: "c1", connectorName: "github-main", toolName: long }])[0]).toBe(a);
  });

  it("turns an MCP tool name's other characters into _ and keeps names distinct", () => {
    const names = assignToolNames([
      { connectorId: "s1", connectorName: "files", toolName: "fs.read/file" },
      { connectorId: "s1", connectorName: "files", toolName: "fs_read_file" },
    ]);
    expect(names[0]).toBe("files__fs_read_file");
    expect(names[1]).not.toBe(names[0]);
    for (const n of names) expect(n).toMatch(TOOL_NAME_PATTERN);
  });
});
