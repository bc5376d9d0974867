import { describe, expect, it } from "vitest";
import { buildArguments, fieldsOf } from "./schema-form";

const schema = {
  type: "object",
  properties: {
    message: { type: "string", description: "What to echo" },
    count: { type: "integer" },
    ratio: { type: "number" },
    loud: { type: "boolean" },
    mode: { type: "string", enum: ["a", "b"] },
    tags: { type: "array", items: { type: "string" } },
  },
  required: ["message", "count"],
};

describe("schema form", () => {
  it("makes a field per property, with enums and a JSON fallback", () => {
    const fields = fieldsOf(schema)!;
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["message", "string", true],
      ["count", "integer", true],
      ["ratio", "number", false],
      ["loud", "boolean", false],
      ["mode", "enum", false],
      ["tags", "json", false],
    ]);
    expect(fields[4].options).toEqual(["a", "b"]);
    expect(fieldsOf({ type: "array" })).toBeNull();
  });

  it("builds typed arguments and reports problems by field", () => {
    const fields = fieldsOf(schema)!;
    expect(buildArguments(fields, { message: "hi", count: "3", ratio: "0.5", loud: true, mode: "b", tags: '["x"]' })).toEqual({
      args: { message: "hi", count: 3, ratio: 0.5, loud: true, mode: "b", tags: ["x"] },
      errors: {},
    });
    expect(buildArguments(fields, { message: "", count: "1.5", tags: "[" }).errors).toEqual({
      message: "Required",
      count: "Enter a whole number",
      tags: "Enter valid JSON",
    });
  });
});
