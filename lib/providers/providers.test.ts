import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractProvider, generatedOperationId, toolNameFor } from "./extract";
import { diffSignatures, signatureOf } from "./diff";
import { loadDocument } from "./load-document";
import { expectAppError } from "../testing/errors";
import { watchEventLoop } from "../testing/event-loop";

const EXAMPLES = path.resolve(import.meta.dirname, "../../node_modules/@readme/oas-examples");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The count the document declares, counted here independently of the code under test. */
function declaredCount(doc: { paths?: Record<string, Record<string, unknown>> }): number {
  let n = 0;
  for (let item of Object.values(doc.paths ?? {})) {
    // A path item may be a reference to another ("#/paths/~1other").
    if (typeof item?.$ref === "string") item = doc.paths![decodeURIComponent(item.$ref.split("/").pop()!).replace(/~1/g, "/")] ?? {};
    for (const m of METHODS) if (item && typeof item[m] === "object") n++;
  }
  return n;
}

const ajv = new Ajv2020({ strict: false, validateSchema: true, logger: false });
function expectValidTools(ops: ReturnType<typeof extractProvider>["operations"]) {
  const names = new Set<string>();
  for (const op of ops) {
    expect(op.tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(names.has(op.tool.name.toLowerCase())).toBe(false);
    names.add(op.tool.name.toLowerCase());
    // Valid JSON Schema: the meta-schema accepts it, and it compiles.
    expect(ajv.validateSchema(op.tool.inputSchema), `${op.key}: ${ajv.errorsText()}`).toBe(true);
    expect(() => ajv.compile(op.tool.inputSchema)).not.toThrow();
    expect(() => JSON.stringify(op.tool.inputSchema)).not.toThrow();
  }
}

const corpus = ["2.0", "3.0", "3.1"].flatMap((v) =>
  ["json", "yaml"].flatMap((format) =>
    fs
      .readdirSync(path.join(EXAMPLES, v, format))
      .filter((f) => f.endsWith(`.${format}`))
      .map((f) => ({ name: `${v}/${format}/${f}`, file: path.join(EXAMPLES, v, format, f) })),
  ),
);

describe("the @readme/oas-examples corpus", () => {
  it("has Swagger 2.0, OpenAPI 3.0 and 3.1 in JSON and YAML, circular references included", () => {
    expect(corpus.length).toBeGreaterThan(100);
    expect(corpus.some((c) => c.name.includes("circular"))).toBe(true);
  });

  for (const { name, file } of corpus) {
    it(`imports ${name} with the operation count it declares`, async () => {
      const text = fs.readFileSync(file, "utf8");
      const loaded = await loadDocument(text);
      const provider = extractProvider(loaded.document);
      expect(provider.operations.length).toBe(declaredCount(loaded.document as never));
      expectValidTools(provider.operations);
    });
  }

  it("resolves circular references into bounded tool schemas", async () => {
    const text = fs.readFileSync(path.join(EXAMPLES, "3.0/json/circular-request-bodies.json"), "utf8");
    const { document } = await loadDocument(text);
    const p = extractProvider(document);
    expect(p.operations.length).toBe(declaredCount(document as never));
    expect(JSON.stringify(p.operations.map((o) => o.tool.inputSchema))).toContain("Recursive reference to");
  });
});

describe("GitHub's REST description (@octokit/openapi)", () => {
  it("imports with the exact operation count, in seconds", async () => {
    const file = path.resolve(import.meta.dirname, "../../node_modules/@octokit/openapi/generated/api.github.com.json");
    const text = fs.readFileSync(file, "utf8");
    const started = performance.now();
    const watched = await watchEventLoop(async () => {
      const { document } = await loadDocument(text);
      return extractProvider(document);
    });
    const p = watched.result;
    const ms = performance.now() - started;
    const declared = declaredCount(JSON.parse(text));
    expect(declared).toBeGreaterThan(1000);
    expect(p.operations.length).toBe(declared);
    expectValidTools(p.operations);
    console.log(
      `GitHub: ${(text.length / 1e6).toFixed(1)} MB, ${p.operations.length} operations, load+validate+extract ${Math.round(ms)} ms, event loop held at most ${Math.round(watched.busyMs)} ms at a time`,
    );
    expect(ms).toBeLessThan(15_000);
    // Validation (~2 s of CPU) runs in its own thread; what stays on this one is parsing and reading the JSON.
    expect(watched.busyMs).toBeLessThan(1_000);
  }, 60_000);
});

describe("hostile documents", () => {
  const base = { openapi: "3.0.3", info: { title: "t", version: "1" } };
  const withRef = (ref: string) => JSON.stringify({ ...base, paths: { "/a": { get: { responses: { 200: { $ref: ref } } } } } });

  it("refuses file: references and local paths without reading them, naming where they are", async () => {
    for (const ref of ["file:///etc/passwd", "/etc/passwd", "../../etc/passwd#/x"]) {
      const e = await expectAppError(loadDocument(withRef(ref)), "validation_failed");
      expect(e.fields?.[0]).toMatchObject({ path: "paths./a.get.responses.200.$ref" });
      expect(JSON.stringify(e)).not.toContain("root:");
    }
  });

  it("refuses a reference to the metadata address and to private hosts", async () => {
    for (const ref of [
      "http://169.254.169.254/latest/meta-data#/x",
      "http://127.0.0.1:8080/a.json",
      "http://metadata.google.internal/x.json",
      "http://[::ffff:a9fe:a9fe]/x",
    ]) {
      const e = await expectAppError(loadDocument(withRef(ref)), "validation_failed");
      expect(e.fields?.[0]?.path).toBe("paths./a.get.responses.200.$ref");
    }
  });

  describe("a reference whose server redirects to a private address", () => {
    let server: http.Server;
    let url = "";
    beforeAll(async () => {
      server = http.createServer((_req, res) => res.writeHead(302, { location: "http://127.0.0.1:1/secret.json" }).end());
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/doc.json`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));
    it("is refused: the first hop is already loopback, and each hop is checked", async () => {
      const e = await expectAppError(loadDocument(withRef(url + "#/x")), "validation_failed");
      expect(e.fields?.[0]?.message).toMatch(/not allowed/);
    });
  });

  it("refuses a YAML alias bomb in well under a second", async () => {
    const lines = ['openapi: "3.0.0"', "info: {title: t, version: '1'}", "a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    lines.push("paths: {}");
    const started = performance.now();
    await expectAppError(loadDocument(lines.join("\n")), "bad_request");
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses a document over 20 MiB before parsing it", async () => {
    const big = `{"openapi":"3.0.0","x":"${"a".repeat(50 * 1024 * 1024)}"}`;
    const started = performance.now();
    await expectAppError(loadDocument(big), "payload_too_large");
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("answers an invalid document with the problems and where they are", async () => {
    const e = await expectAppError(
      loadDocument("openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: 1}}\n"),
      "validation_failed",
    );
    expect(e.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "info", message: expect.stringContaining("version") }),
        expect.objectContaining({ path: "paths./a.get.responses.200.description", message: expect.stringContaining("string") }),
      ]),
    );
    await expectAppError(loadDocument('{"swagger": "1.2"}'), "validation_failed");
    await expectAppError(loadDocument("just: text"), "validation_failed");
    await expectAppError(loadDocument("{ not json"), "validation_failed");
  });

  it("refuses nesting 10,000 deep (JSON and YAML) and 100,000 paths quickly, without validating them", async () => {
    const deep = `{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{},"x-deep":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const e = await expectAppError(loadDocument(deep), "bad_request");
    expect(e.fields?.[0]?.message).toMatch(/Nested more than 128 levels/);
    await expectAppError(loadDocument(`openapi: 3.0.0\nx: ${"- ".repeat(10_000)}x\n`), "bad_request");
    const paths = Object.fromEntries(
      Array.from({ length: 100_000 }, (_, i) => [`/p${i}`, { get: { responses: { 200: { description: "ok" } } } }]),
    );
    const started = performance.now();
    const many = await expectAppError(
      loadDocument(JSON.stringify({ openapi: "3.0.0", info: { title: "t", version: "1" }, paths })),
      "payload_too_large",
    );
    expect(many.message).toMatch(/100,000 operations/);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("parses __proto__ keys as plain data and custom tags as errors", async () => {
    await expectAppError(loadDocument('openapi: 3.0.0\ninfo: !!js/function "function(){}"\npaths: {}\n'), "bad_request");
    const { document } = await loadDocument(
      '{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"__proto__":{"type":"object","properties":{"polluted":{"type":"string"}}}}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(document).toBeTruthy();
  });
});

describe("operations and tools", () => {
  it("merges path-level parameters, generates stable ids and tool names of at most 64 characters", async () => {
    const long = "x".repeat(80);
    const doc = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {
        "/items/{id}": {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          get: { responses: { 200: { description: "ok" } } },
          patch: {
            operationId: long,
            parameters: [
              { name: "id", in: "path", required: true, schema: { type: "integer" } },
              { name: "id", in: "header", schema: { type: "string" } },
            ],
            requestBody: {
              required: true,
              content: { "application/json": { schema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } } } },
            },
            responses: { 200: { description: "ok" } },
          },
        },
      },
    };
    const p = extractProvider(doc);
    expect(p.operations.map((o) => o.operationId)).toEqual(["get_items_id", long]);
    const patch = p.operations[1];
    expect(patch.tool.name).toHaveLength(64);
    expect(patch.parameters.find((x) => x.in === "path")?.schema).toEqual({ type: "integer" });
    expect(patch.tool.inputSchema).toEqual({
      type: "object",
      properties: {
        id: { type: "integer" },
        header_id: { type: "string" },
        body: { type: "object", required: ["n"], properties: { n: { type: "integer" } } },
      },
      required: ["id", "body"],
    });
    expect(generatedOperationId("GET", "/")).toBe("get_root");
    const taken = new Set<string>();
    expect([toolNameFor("a.b", taken), toolNameFor("a_b", taken), toolNameFor(long, taken), toolNameFor(long, taken)]).toEqual([
      "a_b",
      "a_b_2",
      "x".repeat(64),
      `${"x".repeat(62)}_2`,
    ]);
  });
});

describe("version diff", () => {
  const doc = (paths: Record<string, unknown>) => extractProvider({ openapi: "3.0.0", info: { title: "t", version: "1" }, paths });
  const ok = { 200: { description: "ok" } };
  it("lists added, removed and changed operations and marks the breaking ones", () => {
    const v1 = doc({
      "/a": { get: { operationId: "getA", parameters: [{ name: "q", in: "query", schema: { type: "string" } }], responses: ok } },
      "/b": { get: { operationId: "getB", responses: ok } },
      "/c": {
        post: {
          operationId: "postC",
          requestBody: { content: { "application/json": { schema: { type: "object", properties: { x: { type: "string" } } } } } },
          responses: ok,
        },
      },
      "/d": {
        get: { operationId: "getD", parameters: [{ name: "n", in: "query", required: true, schema: { type: "integer" } }], responses: ok },
      },
    });
    const v2 = doc({
      "/a": {
        get: {
          operationId: "getA",
          parameters: [
            { name: "q", in: "query", schema: { type: "string" } },
            { name: "r", in: "query", required: true, schema: { type: "string" } },
          ],
          responses: ok,
        },
      },
      "/c": {
        post: {
          operationId: "postC",
          requestBody: {
            content: { "application/json": { schema: { type: "object", required: ["x"], properties: { x: { type: "string" } } } } },
          },
          responses: ok,
        },
      },
      "/d": {
        get: {
          operationId: "getD",
          summary: "new words",
          parameters: [{ name: "n", in: "query", schema: { type: "string" } }],
          responses: ok,
        },
      },
      "/e": { get: { operationId: "getE", responses: ok } },
    });
    const d = diffSignatures(signatureOf(v1.operations), signatureOf(v2.operations));
    expect(d.added.map((x) => x.operationId)).toEqual(["getE"]);
    expect(d.removed).toMatchObject([{ operationId: "getB", breaking: true }]);
    const byId = Object.fromEntries(d.changed.map((c) => [c.operationId, c]));
    expect(Object.keys(byId).sort()).toEqual(["getA", "getD", "postC"]);
    expect(byId.getA.changes).toEqual([{ kind: "parameter.added", detail: "Required parameter query:r added", breaking: true }]);
    expect(byId.postC.changes.map((c) => c.kind)).toEqual(["body.requiredField"]);
    expect(byId.getD.changes.map((c) => [c.kind, c.breaking])).toEqual([
      ["parameter.optional", false],
      ["parameter.type", true],
      ["summary", false],
    ]);
    expect(diffSignatures(signatureOf(v1.operations), signatureOf(v1.operations))).toEqual({ added: [], removed: [], changed: [] });
  });
});
