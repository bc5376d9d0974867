import { describe, expect, it } from "vitest";
import { extractProvider } from "../providers/extract";
import {
  buildRequest,
  requestHeaders,
  requestUrl,
  resolveBaseUrl,
  ToolConfigError,
  ToolInputError,
  withConnectorParams,
} from "./build-request";
import { checkToolInput } from "./validate-input";

// Operations read by the real extractor, so the input shape is exactly the tool's inputSchema.
const DOC = {
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  paths: {
    "/accounts/{account}/charges/{id}": {
      parameters: [{ name: "account", in: "path", required: true, schema: { type: "string" } }],
      post: {
        operationId: "createCharge",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "expand", in: "query", schema: { type: "array", items: { type: "string" } } },
          { name: "filter", in: "query", schema: { type: "object", properties: { status: { type: "string" } } } },
          { name: "X-Trace", in: "header", schema: { type: "string" } },
          { name: "X-Tags", in: "header", schema: { type: "array", items: { type: "string" } } },
          { name: "session", in: "cookie", schema: { type: "string" } },
          { name: "id", in: "query", schema: { type: "integer" } },
          { name: "Authorization", in: "header", schema: { type: "string" } },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["amount"],
                properties: { amount: { type: "integer", minimum: 1 }, note: { type: "string" } },
              },
            },
          },
        },
        responses: { 200: { description: "ok" } },
      },
    },
    "/forms": {
      post: {
        operationId: "sendForm",
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              schema: { type: "object", properties: { a: { type: "string" }, b: { type: "array" } } },
            },
          },
        },
        responses: { 200: { description: "ok" } },
      },
    },
    "/upload": {
      post: {
        operationId: "upload",
        requestBody: { content: { "multipart/form-data": { schema: { type: "object", properties: { name: { type: "string" } } } } } },
        responses: { 200: { description: "ok" } },
      },
    },
    "/files/{name}": {
      get: {
        operationId: "getFile",
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
        responses: { 200: { description: "ok" } },
      },
    },
  },
};
const ops = Object.fromEntries(extractProvider(DOC).operations.map((o) => [o.operationId, o]));
const BASE = "https://api.example.com/v1";

describe("buildRequest", () => {
  it("puts path, query, header, cookie parameters and the JSON body where the operation says", () => {
    const op = ops.createCharge;
    // The tool's schema names the second "id" (the query one) query_id: the builder reads the same keys.
    expect(Object.keys(op.tool.inputSchema.properties as object)).toEqual([
      "account",
      "id",
      "expand",
      "filter",
      "X-Trace",
      "X-Tags",
      "session",
      "query_id",
      "Authorization",
      "body",
    ]);
    const input = {
      account: "acct 1/2",
      id: "ch_1",
      expand: ["customer", "invoice"],
      filter: { status: "paid" },
      "X-Trace": "abc",
      "X-Tags": ["a", "b"],
      session: "s=1;x",
      query_id: 7,
      Authorization: "Bearer caller-chosen",
      body: { amount: 5, note: "hi" },
    };
    expect(checkToolInput("t:createCharge", op.tool.inputSchema, input)).toBeNull();
    const req = buildRequest({ operation: op, input, baseUrl: BASE, connectorParams: {} });
    expect(requestUrl(req)).toBe(
      "https://api.example.com/v1/accounts/acct%201%2F2/charges/ch_1?expand=customer&expand=invoice&status=paid&id=7",
    );
    expect(req.method).toBe("POST");
    expect(req.body).toBe('{"amount":5,"note":"hi"}');
    const headers = requestHeaders(req);
    expect(headers).toMatchObject({ "x-trace": "abc", "x-tags": "a,b", "content-type": "application/json", cookie: "session=s%3D1%3Bx" });
    // OpenAPI ignores Authorization header parameters: the connector's credentials are the only authorization.
    expect(headers.authorization).toBeUndefined();
  });

  it("encodes path parameters so they cannot leave the operation's path", () => {
    const op = ops.getFile;
    const url = (name: string) => requestUrl(buildRequest({ operation: op, input: { name }, baseUrl: BASE, connectorParams: {} }));
    expect(url("../../admin")).toBe("https://api.example.com/v1/files/..%2F..%2Fadmin");
    expect(url("a?b=c#d")).toBe("https://api.example.com/v1/files/a%3Fb%3Dc%23d");
    expect(new URL(url("../../admin")).pathname).toBe("/v1/files/..%2F..%2Fadmin");
    for (const bad of ["..", ".", ""]) {
      expect(() => buildRequest({ operation: op, input: { name: bad }, baseUrl: BASE, connectorParams: {} }), bad).toThrow(ToolInputError);
    }
  });

  it("refuses header values with line breaks (header injection)", () => {
    const op = ops.createCharge;
    const input = { account: "a", id: "b", "X-Trace": "x\r\nX-Admin: 1", body: { amount: 1 } };
    try {
      buildRequest({ operation: op, input, baseUrl: BASE, connectorParams: {} });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ToolInputError);
      expect((e as ToolInputError).path).toBe("/X-Trace");
    }
  });

  it("sends form and multipart bodies", () => {
    const form = buildRequest({ operation: ops.sendForm, input: { body: { a: "x y&z", b: [1, 2] } }, baseUrl: BASE, connectorParams: {} });
    expect(form.body).toBe("a=x+y%26z&b=1&b=2");
    expect(form.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const multi = buildRequest({ operation: ops.upload, input: { body: { name: "n" } }, baseUrl: BASE, connectorParams: {} });
    const boundary = /boundary=(.+)$/.exec(multi.headers["content-type"])![1];
    expect(multi.body).toBe(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nn\r\n--${boundary}--\r\n`);
  });

  it("substitutes server variables and fixes the connector's own parameters", () => {
    expect(resolveBaseUrl("https://{region}.api.example.com/v1?api-version=2", { region: "eu" })).toEqual({
      base: "https://eu.api.example.com/v1",
      query: [["api-version", "2"]],
    });
    expect(() => resolveBaseUrl("https://{region}.example.com", {})).toThrow(ToolConfigError);
    const fixed = withConnectorParams(ops.createCharge, { account: "someone-else", id: "x" }, { account: "acct_123" });
    expect(fixed).toEqual({ input: { account: "acct_123", id: "x" }, fixed: ["account"] });
  });
});

describe("checkToolInput", () => {
  const schema = ops.createCharge.tool.inputSchema;
  const base = { account: "a", id: "b" };
  it("names the failing path", () => {
    expect(checkToolInput("t:c", schema, { ...base, body: { amount: 0 } })).toEqual({ path: "/body/amount", message: "must be >= 1" });
    expect(checkToolInput("t:c", schema, { ...base, body: {} })).toEqual({ path: "/body/amount", message: "is required" });
    expect(checkToolInput("t:c", schema, { account: "a", body: { amount: 1 } })).toEqual({ path: "/id", message: "is required" });
  });
  it("refuses inputs the tool does not have (no smuggled base_url or api_key)", () => {
    expect(checkToolInput("t:c", schema, { ...base, body: { amount: 1 }, base_url: "http://evil" })).toEqual({
      path: "/base_url",
      message: "is not an input of this tool",
    });
  });
});
