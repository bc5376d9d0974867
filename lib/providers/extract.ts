// What a provider holds, read from a validated and bundled OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1):
// servers, auth schemes, and every operation (every method under every path, path-level parameters merged)
// with its tool definition as a model receives it. Pure functions: no I/O.

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Json = unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

export interface ServerVariable {
  default: string;
  enum?: string[];
  description?: string;
}

export interface ServerInfo {
  url: string;
  description: string;
  /** Only when the server has variables: the URL with its `{name}` placeholders, which connectors fill from their params. */
  template?: string;
  variables?: Record<string, ServerVariable>;
}

export interface AuthScheme {
  key: string;
  type: "apiKey" | "http" | "oauth2" | "openIdConnect" | "mutualTLS";
  description?: string;
  in?: "header" | "query" | "cookie";
  name?: string;
  scheme?: string;
  bearerFormat?: string;
  openIdConnectUrl?: string;
  flows?: Record<string, { authorizationUrl?: string; tokenUrl?: string; refreshUrl?: string; scopes: Record<string, string> }>;
}

export interface ParameterInfo {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  description: string;
  schema: Json;
}

export interface ExtractedOperation {
  /** "GET /repos/{owner}/{repo}": what versions are compared by. */
  key: string;
  operationId: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tags: string[];
  deprecated: boolean;
  parameters: ParameterInfo[];
  requestBody: { required: boolean; contentType: string; schema: Json } | null;
  responses: Record<string, { description: string; contentTypes: string[] }>;
  security: Json[] | null;
  tool: { name: string; description: string; inputSchema: Obj };
}

export interface ExtractedProvider {
  specVersion: string;
  title: string;
  description: string;
  versionLabel: string;
  servers: ServerInfo[];
  authSchemes: AuthScheme[];
  operations: ExtractedOperation[];
}

/** The number of operations a document declares: every HTTP method under every path. */
export function countOperations(doc: Obj): number {
  let n = 0;
  for (const item of Object.values(isObj(doc.paths) ? doc.paths : {})) {
    if (isObj(item)) for (const m of HTTP_METHODS) if (isObj(item[m])) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// $ref resolution inside the document (external references were bundled in before this runs).

function pointerGet(doc: Obj, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  const parts = ref
    .slice(1)
    .split("/")
    .slice(1)
    .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
  let cur: unknown = doc;
  for (const p of parts) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}

/** Follows a chain of $refs (a parameter or response that is itself a reference) to the object. */
function deref(doc: Obj, v: unknown): unknown {
  for (let i = 0; i < 32 && isObj(v) && typeof v.$ref === "string"; i++) v = pointerGet(doc, v.$ref);
  return v;
}

// Keywords of OpenAPI's schema dialect that are not JSON Schema (or only noise for a model).
const DROP_KEYS = new Set(["example", "xml", "discriminator", "externalDocs", "nullable", "x-nullable", "readOnly"]);
const MAX_INLINE_NODES = 20_000;

function validPattern(p: string): boolean {
  try {
    new RegExp(p, "u");
    return true;
  } catch {
    return false;
  }
}

/**
 * A JSON Schema with every $ref inlined. A reference back into a schema being expanded (a cycle) becomes an
 * open schema that says what it stands for; past MAX_INLINE_NODES the remaining references stay open too, so one
 * tool definition stays bounded. OpenAPI 3.0's `nullable` becomes a "null" type.
 */
export function toJsonSchema(doc: Obj, schema: unknown): Json {
  let budget = MAX_INLINE_NODES;
  const walk = (v: unknown, stack: string[]): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, stack));
    if (!isObj(v)) return v;
    if (--budget < 0) return {};
    if (typeof v.$ref === "string") {
      const ref = v.$ref;
      const name = ref.split("/").pop() ?? ref;
      if (stack.includes(ref)) return { description: `Recursive reference to ${name}` };
      const target = pointerGet(doc, ref);
      if (target === undefined || budget <= 0) return { description: `See ${name}` };
      return walk(target, [...stack, ref]);
    }
    const out: Obj = {};
    for (const [k, val] of Object.entries(v)) {
      if (DROP_KEYS.has(k) || k.startsWith("x-")) continue;
      // Under these keywords the keys are names (properties), not keywords.
      if ((k === "properties" || k === "patternProperties" || k === "$defs" || k === "definitions") && isObj(val)) {
        out[k] = Object.fromEntries(Object.entries(val).map(([pk, pv]) => [pk, walk(pv, stack)]));
      } else out[k] = walk(val, stack);
    }
    if (v.nullable === true || v["x-nullable"] === true) {
      if (typeof out.type === "string") out.type = [out.type, "null"];
      else if (!out.type) out.anyOf = [{ ...out }, { type: "null" }];
    }
    // OpenAPI 3.0's boolean exclusiveMinimum/Maximum is draft 4; JSON Schema 2020-12 wants numbers.
    for (const [ex, bound] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      if (typeof out[ex] === "boolean") {
        if (out[ex] && typeof out[bound] === "number") {
          out[ex] = out[bound];
          delete out[bound];
        } else delete out[ex];
      }
    }
    // A pattern that is not a valid ECMAScript (unicode) expression is unusable by validators and model APIs.
    if (typeof out.pattern === "string" && !validPattern(out.pattern)) delete out.pattern;
    // Swagger's "file" type has no JSON Schema counterpart.
    if (out.type === "file") {
      out.type = "string";
      out.format = "binary";
    }
    return out;
  };
  return walk(schema, []);
}

// ---------------------------------------------------------------------------------------------------------

/** Swagger 2.0 parameters carry type/format/items on themselves; OpenAPI 3 under `schema`. */
function paramSchema(p: Obj): unknown {
  if (p.schema !== undefined) return p.schema;
  const s: Obj = {};
  for (const k of [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
  ]) {
    if (p[k] !== undefined) s[k] = p[k];
  }
  if (isObj(p.content)) {
    const first = Object.values(p.content)[0];
    if (isObj(first) && first.schema !== undefined) return first.schema;
  }
  return s;
}

/** A stable operation id where the document has none: method and path, e.g. get_repos_owner_repo. */
export function generatedOperationId(method: string, path: string): string {
  const slug = path
    .replace(/[{}]/g, "")
    .replace(/[^a-zA-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `${method.toLowerCase()}_${slug || "root"}`;
}

const TOOL_NAME_MAX = 64;

/** A function name valid for OpenAI and Anthropic: at most 64 characters of [a-zA-Z0-9_-], unique in `taken`. */
export function toolNameFor(operationId: string, taken: Set<string>): string {
  let base = operationId.replace(/[^a-zA-Z0-9_-]+/g, "_").replace(/^_+|_+$/g, "") || "operation";
  base = base.slice(0, TOOL_NAME_MAX);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = `_${i}`;
    name = base.slice(0, TOOL_NAME_MAX - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

function mergedParameters(doc: Obj, pathItem: Obj, op: Obj): Obj[] {
  const byKey = new Map<string, Obj>();
  for (const list of [pathItem.parameters, op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = deref(doc, raw);
      if (isObj(p) && typeof p.name === "string" && typeof p.in === "string") byKey.set(`${p.in}:${p.name}`, p);
    }
  }
  return [...byKey.values()];
}

function pickContent(content: unknown): { contentType: string; schema: unknown } | null {
  if (!isObj(content)) return null;
  const types = Object.keys(content);
  const type = types.find((t) => /json/i.test(t)) ?? types.find((t) => /form/i.test(t)) ?? types[0];
  if (!type) return null;
  const media = content[type];
  return { contentType: type, schema: isObj(media) ? (media.schema ?? {}) : {} };
}

function requestBodyOf(doc: Obj, op: Obj, params: Obj[], swagger: boolean, consumes: string[]): ExtractedOperation["requestBody"] {
  if (swagger) {
    const body = params.find((p) => p.in === "body");
    if (body)
      return {
        required: body.required === true,
        contentType: consumes.find((c) => /json/i.test(c)) ?? consumes[0] ?? "application/json",
        schema: body.schema ?? {},
      };
    const form = params.filter((p) => p.in === "formData");
    if (!form.length) return null;
    const properties = Object.fromEntries(
      form.map((p) => [str(p.name), { ...(paramSchema(p) as Obj), ...(p.description ? { description: p.description } : {}) }]),
    );
    const required = form.filter((p) => p.required === true).map((p) => str(p.name));
    const contentType = consumes.find((c) => /form/i.test(c)) ?? "application/x-www-form-urlencoded";
    return { required: required.length > 0, contentType, schema: { type: "object", properties, ...(required.length ? { required } : {}) } };
  }
  const rb = deref(doc, op.requestBody);
  if (!isObj(rb)) return null;
  const picked = pickContent(rb.content);
  if (!picked) return null;
  return { required: rb.required === true, contentType: picked.contentType, schema: picked.schema };
}

function responsesOf(doc: Obj, op: Obj): ExtractedOperation["responses"] {
  const out: ExtractedOperation["responses"] = {};
  if (!isObj(op.responses)) return out;
  for (const [status, raw] of Object.entries(op.responses)) {
    const r = deref(doc, raw);
    if (!isObj(r)) continue;
    const contentTypes = isObj(r.content) ? Object.keys(r.content) : isObj(r.schema) || r.schema ? ["application/json"] : [];
    out[status] = { description: str(r.description), contentTypes };
  }
  return out;
}

function toolDescription(summary: string, description: string, method: string, path: string): string {
  const text = [summary, description && description !== summary ? description : ""].filter(Boolean).join("\n\n");
  return (text || `${method.toUpperCase()} ${path}`).slice(0, 1024);
}

/**
 * Where each parameter and the body sit in a tool's input (the properties of its inputSchema): a parameter under
 * its name, the body under "body". Two parameters of one name in different places (a header and a query "id")
 * keep both, the later one prefixed with its place; a parameter named "body" moves the body to "requestBody".
 * The data plane reads a tool call's input with the same function, so the two cannot disagree.
 */
export function inputKeysOf(params: readonly { name: string; in: string }[], hasBody: boolean): { params: string[]; body: string | null } {
  const names = new Set<string>();
  const keys = params.map((p) => {
    const key = names.has(p.name) ? `${p.in}_${p.name}` : p.name;
    names.add(key);
    return key;
  });
  return { params: keys, body: hasBody ? (names.has("body") ? "requestBody" : "body") : null };
}

function inputSchemaOf(doc: Obj, params: ParameterInfo[], body: ExtractedOperation["requestBody"]): Obj {
  const properties: Obj = {};
  const required: string[] = [];
  const keys = inputKeysOf(params, !!body);
  params.forEach((p, i) => {
    const key = keys.params[i];
    const schema = toJsonSchema(doc, p.schema);
    properties[key] = { ...(isObj(schema) ? schema : {}), ...(p.description ? { description: p.description.slice(0, 1024) } : {}) };
    if (p.required) required.push(key);
  });
  if (body && keys.body) {
    properties[keys.body] = toJsonSchema(doc, body.schema);
    if (body.required) required.push(keys.body);
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

function authSchemesOf(doc: Obj, swagger: boolean): AuthScheme[] {
  const defs = swagger ? doc.securityDefinitions : isObj(doc.components) ? doc.components.securitySchemes : undefined;
  if (!isObj(defs)) return [];
  const out: AuthScheme[] = [];
  for (const [key, raw] of Object.entries(defs)) {
    const s = deref(doc, raw);
    if (!isObj(s)) continue;
    const description = str(s.description) || undefined;
    if (s.type === "apiKey") {
      out.push({
        key,
        type: "apiKey",
        description,
        in: (["header", "query", "cookie"].includes(str(s.in)) ? s.in : "header") as AuthScheme["in"],
        name: str(s.name),
      });
    } else if (s.type === "basic") {
      out.push({ key, type: "http", description, scheme: "basic" });
    } else if (s.type === "http") {
      out.push({ key, type: "http", description, scheme: str(s.scheme).toLowerCase(), bearerFormat: str(s.bearerFormat) || undefined });
    } else if (s.type === "oauth2") {
      const scopes = (v: unknown) => (isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, d]) => [k, str(d)])) : {});
      let flows: AuthScheme["flows"] = {};
      if (swagger) {
        const flow =
          { implicit: "implicit", password: "password", application: "clientCredentials", accessCode: "authorizationCode" }[str(s.flow)] ??
          str(s.flow);
        flows[flow] = {
          authorizationUrl: str(s.authorizationUrl) || undefined,
          tokenUrl: str(s.tokenUrl) || undefined,
          scopes: scopes(s.scopes),
        };
      } else if (isObj(s.flows)) {
        flows = Object.fromEntries(
          Object.entries(s.flows)
            .filter(([, f]) => isObj(f))
            .map(([name, f]) => {
              const fl = f as Obj;
              return [
                name,
                {
                  authorizationUrl: str(fl.authorizationUrl) || undefined,
                  tokenUrl: str(fl.tokenUrl) || undefined,
                  refreshUrl: str(fl.refreshUrl) || undefined,
                  scopes: scopes(fl.scopes),
                },
              ];
            }),
        );
      }
      out.push({ key, type: "oauth2", description, flows });
    } else if (s.type === "openIdConnect") {
      out.push({ key, type: "openIdConnect", description, openIdConnectUrl: str(s.openIdConnectUrl) });
    } else if (s.type === "mutualTLS") {
      out.push({ key, type: "mutualTLS", description });
    }
  }
  return out;
}

function serversOf(doc: Obj, swagger: boolean): ServerInfo[] {
  if (swagger) {
    if (!doc.host) return [];
    const schemes = Array.isArray(doc.schemes) && doc.schemes.length ? doc.schemes.map(str) : ["https"];
    return schemes.map((s) => ({ url: `${s}://${str(doc.host)}${str(doc.basePath)}`.replace(/\/+$/, ""), description: "" }));
  }
  if (!Array.isArray(doc.servers)) return [];
  return doc.servers.filter(isObj).map((s) => {
    const template = str(s.url);
    let url = template;
    const variables: Record<string, ServerVariable> = {};
    // Server variables take their defaults, so a URL is usable as it stands; connectors substitute their own values.
    if (isObj(s.variables)) {
      for (const [k, v] of Object.entries(s.variables)) {
        if (!isObj(v)) continue;
        url = url.replaceAll(`{${k}}`, str(v.default));
        variables[k] = {
          default: str(v.default),
          ...(Array.isArray(v.enum) ? { enum: v.enum.map(str).slice(0, 100) } : {}),
          ...(str(v.description) ? { description: str(v.description) } : {}),
        };
      }
    }
    return Object.keys(variables).length && template !== url
      ? { url, description: str(s.description), template, variables }
      : { url, description: str(s.description) };
  });
}

/** Every operation with its tool definition, in document order. */
export function extractProvider(doc: Obj): ExtractedProvider {
  const swagger = str(doc.swagger).startsWith("2");
  const info = isObj(doc.info) ? doc.info : {};
  const takenIds = new Set<string>();
  const takenTools = new Set<string>();
  const globalConsumes = Array.isArray(doc.consumes) ? doc.consumes.map(str) : [];
  const globalSecurity = Array.isArray(doc.security) ? doc.security : null;
  const operations: ExtractedOperation[] = [];
  for (const [path, rawItem] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    const item = deref(doc, rawItem);
    if (!isObj(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const params = mergedParameters(doc, item, op);
      let operationId = str(op.operationId).trim() || generatedOperationId(method, path);
      // Duplicate ids (invalid, but seen in the wild) are kept apart.
      for (let i = 2; takenIds.has(operationId); i++) operationId = `${str(op.operationId) || generatedOperationId(method, path)}_${i}`;
      takenIds.add(operationId);
      const parameters: ParameterInfo[] = params
        .filter((p) => ["path", "query", "header", "cookie"].includes(str(p.in)))
        .map((p) => ({
          name: str(p.name),
          in: p.in as ParameterInfo["in"],
          required: p.in === "path" || p.required === true,
          description: str(p.description),
          schema: toJsonSchema(doc, paramSchema(p)),
        }));
      const consumes = Array.isArray(op.consumes) ? op.consumes.map(str) : globalConsumes;
      const requestBody = requestBodyOf(doc, op, params, swagger, consumes);
      const summary = str(op.summary);
      const description = str(op.description);
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        operationId,
        method: method.toUpperCase(),
        path,
        summary,
        description,
        tags: Array.isArray(op.tags) ? op.tags.map(str).filter(Boolean) : [],
        deprecated: op.deprecated === true,
        parameters,
        requestBody,
        responses: responsesOf(doc, op),
        security: Array.isArray(op.security) ? op.security : globalSecurity,
        tool: {
          name: toolNameFor(operationId, takenTools),
          description: toolDescription(summary, description, method, path),
          inputSchema: inputSchemaOf(doc, parameters, requestBody),
        },
      });
    }
  }
  return {
    specVersion: swagger ? `swagger ${str(doc.swagger)}` : `openapi ${str(doc.openapi)}`,
    title: str(info.title),
    description: str(info.description),
    versionLabel: str(info.version),
    servers: serversOf(doc, swagger),
    authSchemes: authSchemesOf(doc, swagger),
    operations,
  };
}
