import crypto from "node:crypto";
import type { OutgoingAuthTarget } from "../connectors/auth/types";
import { inputKeysOf, type ParameterInfo } from "../providers/extract";

// A tool call's input turned into the HTTP request its OpenAPI operation describes. Pure: no I/O, no secrets
// (the connector's credentials go on afterwards, through its auth mode, into the same headers, query and cookies).
//
// The input is shaped as lib/providers/extract.ts builds the tool's inputSchema: each parameter under its name
// (inputKeysOf), the body under "body". Parameters are serialised with OpenAPI's default styles, the only ones
// the stored operation keeps: path and header "simple" (arrays comma-separated), query and cookie "form" with
// explode (an array repeats the name, an object's properties become parameters of their own).

export interface OperationShape {
  method: string;
  path: string;
  parameters: readonly Pick<ParameterInfo, "name" | "in" | "required">[];
  requestBody: { required: boolean; contentType: string } | null;
}

export interface OutgoingRequest extends OutgoingAuthTarget {
  method: string;
  /** Scheme, host and base path of the connector, server variables substituted, no trailing slash and no query. */
  base: string;
  /** The operation's path with its parameters encoded. */
  path: string;
  body: string | null;
}

/** The input does not fit the operation (a JSON pointer into the input, like the schema validator's). */
export class ToolInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "ToolInputError";
  }
}

/** The connector itself cannot make this request (its base URL or parameters); the caller cannot fix it. */
export class ToolConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolConfigError";
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

// Per OpenAPI, header parameters with these names are ignored (content negotiation and auth are not the caller's).
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);
// Framing, routing and hop-by-hop headers a tool call may never set.
const FORBIDDEN_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "cookie",
  "proxy-authorization",
  "proxy-connection",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII, space, tab and Latin-1: what an HTTP header value can carry. No CR, LF or NUL (header injection).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function scalar(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "";
  return JSON.stringify(v);
}

/** "simple" style: arrays and objects comma-separated, each piece passed through `enc`. */
function simple(v: unknown, enc: (s: string) => string): string {
  if (Array.isArray(v)) return v.map((x) => enc(scalar(x))).join(",");
  if (isObj(v))
    return Object.entries(v)
      .flatMap(([k, x]) => [enc(k), enc(scalar(x))])
      .join(",");
  return enc(scalar(v));
}

/** "form" style with explode: [name, value] pairs. */
function formPairs(name: string, v: unknown): [string, string][] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((x) => x !== undefined && x !== null).map((x) => [name, scalar(x)]);
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => formPairs(k, x));
  return [[name, scalar(v)]];
}

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * The input with the connector's own parameters (tenant id, region...) put in: a parameter the connector fixes
 * is the connector's, whatever the caller sent for it. `fixed` lists the input keys the connector set.
 */
export function withConnectorParams(operation: OperationShape, input: Obj, connectorParams: Obj): { input: Obj; fixed: string[] } {
  const keys = inputKeysOf(operation.parameters, !!operation.requestBody).params;
  const out = { ...input };
  const fixed: string[] = [];
  operation.parameters.forEach((p, i) => {
    if (Object.hasOwn(connectorParams, p.name) && connectorParams[p.name] !== null && connectorParams[p.name] !== undefined) {
      out[keys[i]] = connectorParams[p.name];
      fixed.push(keys[i]);
    }
  });
  return { input: out, fixed };
}

/** The connector's base URL with its server variables ({region}, {tenant}) taken from its parameters. */
export function resolveBaseUrl(baseUrl: string, connectorParams: Obj): { base: string; query: [string, string][] } {
  const substituted = baseUrl.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const v = connectorParams[name];
    if (v === undefined || v === null || v === "") throw new ToolConfigError(`The connector's base URL needs the parameter '${name}'`);
    return encodeURIComponent(scalar(v));
  });
  let url: URL;
  try {
    url = new URL(substituted);
  } catch {
    throw new ToolConfigError("The connector's base URL is not a valid URL");
  }
  const query = [...url.searchParams.entries()];
  return { base: `${url.origin}${url.pathname}`.replace(/\/+$/, ""), query };
}

function buildBody(contentType: string, value: unknown): { body: string; contentType: string } {
  const type = contentType.toLowerCase();
  if (type.includes("json")) return { body: JSON.stringify(value), contentType };
  if (type.startsWith("application/x-www-form-urlencoded")) {
    if (!isObj(value)) throw new ToolInputError("/body", "must be an object (the operation sends a form)");
    const form = new URLSearchParams();
    // A property's array repeats its name; a nested object is sent as JSON text.
    for (const [k, v] of Object.entries(value)) {
      for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined && item !== null) form.append(k, scalar(item));
    }
    return { body: form.toString(), contentType };
  }
  if (type.startsWith("multipart/form-data")) {
    if (!isObj(value)) throw new ToolInputError("/body", "must be an object (the operation sends multipart form data)");
    const boundary = `----switchboard${crypto.randomBytes(12).toString("hex")}`;
    const quote = (s: string) => s.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item === undefined || item === null) continue;
        const json = isObj(item) || Array.isArray(item);
        parts.push(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"\r\n${json ? "Content-Type: application/json\r\n" : ""}\r\n${scalar(item)}\r\n`,
        );
      }
    }
    return { body: `${parts.join("")}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
  }
  return { body: scalar(value), contentType };
}

/** The request for `operation` with `input` (already validated against the tool's inputSchema). */
export function buildRequest(opts: { operation: OperationShape; input: Obj; baseUrl: string; connectorParams: Obj }): OutgoingRequest {
  const { operation, input } = opts;
  const { base, query } = resolveBaseUrl(opts.baseUrl, opts.connectorParams);
  const keys = inputKeysOf(operation.parameters, !!operation.requestBody);
  const headers: Record<string, string> = { accept: "application/json, */*;q=0.5" };
  const cookies: [string, string][] = [];
  const pathValues = new Map<string, string>();

  operation.parameters.forEach((p, i) => {
    const key = keys.params[i];
    const value = input[key];
    if (value === undefined || value === null) {
      if (p.in === "path") throw new ToolInputError(`/${key}`, "is required (a path parameter)");
      return;
    }
    if (p.in === "path") {
      const encoded = simple(value, encodeURIComponent);
      if (!encoded) throw new ToolInputError(`/${key}`, "must not be empty (a path parameter)");
      // "." and ".." would climb the path once the URL is normalised; encoding leaves dots as they are.
      if (DOT_SEGMENT.test(encoded)) throw new ToolInputError(`/${key}`, "must not be '.' or '..' (a path parameter)");
      pathValues.set(p.name, encoded);
    } else if (p.in === "query") {
      query.push(...formPairs(p.name, value));
    } else if (p.in === "cookie") {
      for (const [n, v] of formPairs(p.name, value)) {
        if (!HEADER_NAME.test(n)) throw new ToolInputError(`/${key}`, `the cookie '${n}' cannot be sent`);
        cookies.push([n, encodeURIComponent(v)]);
      }
    } else if (p.in === "header") {
      const name = p.name.toLowerCase();
      if (IGNORED_HEADERS.has(name)) return;
      if (!HEADER_NAME.test(name) || FORBIDDEN_HEADERS.has(name))
        throw new ToolInputError(`/${key}`, `the header '${p.name}' cannot be sent`);
      const text = simple(value, (s) => s);
      if (!HEADER_VALUE.test(text)) throw new ToolInputError(`/${key}`, "must not contain line breaks or control characters (a header)");
      headers[name] = text;
    }
  });

  const path = operation.path.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const v = pathValues.get(name);
    if (v === undefined) throw new ToolInputError(`/${name}`, "is required (a path parameter)");
    return v;
  });
  // Belt and braces: no segment of the finished path may be a dot segment, however it was assembled.
  if (!path.startsWith("/") || path.split("/").some((s) => DOT_SEGMENT.test(s)))
    throw new ToolInputError("", "the path parameters would leave the operation's path");

  let body: string | null = null;
  const method = operation.method.toUpperCase();
  if (operation.requestBody && keys.body && input[keys.body] !== undefined && method !== "GET" && method !== "HEAD") {
    const built = buildBody(operation.requestBody.contentType || "application/json", input[keys.body]);
    body = built.body;
    headers["content-type"] = built.contentType;
  }
  return { method, base, path, query, headers, cookies, body };
}

/** The full URL of a built request (after the auth mode added its query parameters, if any). */
export function requestUrl(req: OutgoingRequest): string {
  const qs = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  return `${req.base}${req.path}${qs ? `?${qs}` : ""}`;
}

/** The headers to send: the request's own, with its cookies (parameters and credentials) as one Cookie header. */
export function requestHeaders(req: OutgoingRequest): Record<string, string> {
  const headers = { ...req.headers };
  if (req.cookies.length) headers.cookie = req.cookies.map(([k, v]) => `${k}=${v}`).join("; ");
  for (const [k, v] of Object.entries(headers)) {
    if (!HEADER_VALUE.test(v)) throw new ToolConfigError(`The header '${k}' holds line breaks or control characters`);
  }
  return headers;
}
