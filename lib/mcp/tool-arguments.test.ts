import { describe, expect, it } from "vitest";
import { argumentProblem } from "./tool-arguments";

// Input schemas come from MCP servers of any workspace: one server's `$id` must not register for everyone (another
// schema with the same `$id` would stop being checked, and a `$ref` elsewhere could read it).

const withId = (id: string, properties: Record<string, unknown>, required: string[]) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: id,
  type: "object",
  properties,
  required,
});

describe("argumentProblem", () => {
  it("checks arguments against a server's schema, draft-07 `$schema` included", () => {
    const schema = withId("https://tools.example.test/search", { q: { type: "string" } }, ["q"]);
    expect(argumentProblem("ws1:srv1:search:h1", schema, {})).toBe("'/q' is required");
    expect(argumentProblem("ws1:srv1:search:h1", schema, { q: 1 })).toBe("'/q' must be string");
    expect(argumentProblem("ws1:srv1:search:h1", schema, { q: "x" })).toBeNull();
  });

  it("checks two servers' schemas that share an `$id` each against its own", () => {
    const id = "https://shared.example.test/input";
    const a = withId(id, { name: { type: "string" } }, ["name"]);
    const b = withId(id, { count: { type: "integer" } }, ["count"]);
    expect(argumentProblem("ws1:srvA:t:ha", a, {})).toBe("'/name' is required");
    expect(argumentProblem("ws2:srvB:t:hb", b, { count: "many" })).toBe("'/count' must be integer");
    expect(argumentProblem("ws2:srvB:t:hb", b, { count: 3 })).toBeNull();
    // Many more with that `$id` (evicting earlier ones from the bounded cache) still compile and check.
    for (let i = 0; i < 600; i++)
      expect(argumentProblem(`ws3:srv${i}:t:h`, withId(id, { [`p${i}`]: { type: "string" } }, [`p${i}`]), {})).toBe(`'/p${i}' is required`);
  });

  it("does not resolve a `$ref` to another server's schema", () => {
    const other = withId("https://private.example.test/secret-shape", { token: { type: "string", pattern: "^sk-" } }, ["token"]);
    expect(argumentProblem("ws1:srvA:t2:h", other, {})).toBe("'/token' is required");
    // Another workspace's schema naming it: the reference is unknown there, so nothing of the first is used.
    const probing = { type: "object", properties: { x: { $ref: "https://private.example.test/secret-shape" } } };
    expect(argumentProblem("ws2:srvB:t2:h", probing, { x: {} })).toBeNull();
  });
});
