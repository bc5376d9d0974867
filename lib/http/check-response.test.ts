import { describe, expect, it } from "vitest";
import { z } from "../schemas/zod";
import { responseDrift } from "./check-response";

const op = {
  responses: {
    200: z.object({ id: z.string(), tags: z.array(z.object({ name: z.string() })), meta: z.record(z.string(), z.unknown()) }),
    204: null,
    201: { description: "CSV or JSON", contentTypes: ["application/json", "text/csv"], schema: z.object({ n: z.number() }) },
  },
};
const json = (status: number, body: unknown) => ({ status, contentType: "application/json", json: body });

describe("responseDrift", () => {
  it("accepts an answer that matches its declaration", () => {
    expect(responseDrift(op, json(200, { id: "a", tags: [{ name: "x" }], meta: { free: 1 } }))).toBeNull();
    expect(responseDrift(op, { status: 204, contentType: null })).toBeNull();
    expect(responseDrift(op, { status: 201, contentType: "text/csv" })).toBeNull();
  });

  it("names fields of the wrong type or missing", () => {
    const d = responseDrift(op, json(200, { id: 1, tags: [{}], meta: {} }));
    expect(d?.fields.map((f) => f.path)).toEqual(["id", "tags[0].name"]);
  });

  it("names fields the schema does not declare, however deep (zod would drop them silently)", () => {
    const d = responseDrift(op, json(200, { id: "a", tags: [{ name: "x", secret: "s" }], meta: { any: 1 }, hash: "h" }));
    expect(d?.fields).toEqual([
      { path: "tags[0].secret", message: "Not in the declared response schema" },
      { path: "hash", message: "Not in the declared response schema" },
    ]);
  });

  it("refuses an undeclared status, a body where none is declared and an undeclared media type", () => {
    expect(responseDrift(op, json(202, {}))?.problem).toBe("status 202 is not declared");
    expect(responseDrift(op, json(204, {}))?.problem).toBe("it is declared without a body but has one");
    expect(responseDrift(op, { status: 201, contentType: "application/yaml" })?.problem).toBe(
      "content type application/yaml is not declared",
    );
    expect(responseDrift(op, json(201, { n: "1" }))?.fields.map((f) => f.path)).toEqual(["n"]);
  });
});
