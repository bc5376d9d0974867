import { z } from "../schemas/zod";
import { appVersion } from "../env";
import { PERMISSIONS } from "../auth/permissions";
import { problemSchema } from "../schemas/dto";
import { HTTP_METHODS, isDeclaredHandler, normalResponse, type Access, type OperationSpec } from "../http/operation";

// The admin API's OpenAPI 3.1 document, generated from each route's own declaration (adminRoute's spec).
// app/api/admin/openapi.json/operations.ts lists the route modules; the drift test checks it against the disk.

/** A route module and the folder it lives in under app/api/admin (e.g. "platforms/[id]/keys"). */
export interface RouteModule {
  dir: string;
  module: Record<string, unknown>;
}

/** app/api/admin/platforms/[id]/keys -> /api/admin/platforms/{id}/keys (route groups dropped). */
export function apiPathOf(dir: string): string {
  const segments = dir
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => s.replace(/^\[(?:\.\.\.)?(\w+)\]$/, "{$1}"));
  return ["/api/admin", ...segments].join("/");
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(s: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(s, {
    io,
    target: "draft-2020-12",
    // Transforms, custom refinements and the like have no JSON Schema: they become {} (their input side is
    // described for requests, which is what a client writes).
    unrepresentable: "any",
    override: (ctx) => {
      const def = ctx.zodSchema._zod.def;
      if (def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
      // zod spells out its ISO date-time check as a 500-character regex; the format says the same.
      if (ctx.jsonSchema.format === "date-time") delete ctx.jsonSchema.pattern;
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

const ROLE_LABEL = { ADMIN: "Admin", BUILDER: "Builder", MEMBER: "Member" } as const;

function accessText(a: Access): string {
  if ("instance" in a) return `Instance admins and admin tokens only (${a.instance}).`;
  if ("signedIn" in a) return "Any signed-in person or admin token.";
  const roles = PERMISSIONS["workspace" in a ? a.workspace : a.anyWorkspace].map((r) => ROLE_LABEL[r]).join(", ");
  const permission = "workspace" in a ? a.workspace : a.anyWorkspace;
  return "workspace" in a
    ? `Roles ${roles} in the workspace (${permission}); instance admins and admin tokens too.`
    : `Roles ${roles} in any workspace (${permission}); instance admins and admin tokens too.`;
}

const ERROR_TEXT: Record<number, string> = {
  400: "The body is not valid JSON",
  401: "Not signed in, or the admin token is invalid or revoked",
  403: "The caller's role does not allow this, or a cross-site write",
  404: "Not found, or not visible to the caller",
  409: "Conflicts with the current state (a duplicate name, or something still depends on it)",
  413: "The body is too large",
  415: "The body's content type is not accepted",
  422: "Validation failed; `errors` lists each field and reason",
  429: "Too many requests",
  502: "The upstream answered with an error",
  503: "A dependency is unavailable",
};

function errorStatuses(op: OperationSpec, path: string): number[] {
  const set = new Set<number>(op.public ? [] : [401, 403]);
  // A path id, or a workspace named in the query, may not exist or not be visible to the caller.
  if (path.includes("{") || (op.query instanceof z.ZodObject && "workspaceId" in op.query.shape)) set.add(404);
  if (op.query || op.body || op.params || op.rawBody) set.add(422);
  if (op.body || op.rawBody) [400, 413, 415].forEach((s) => set.add(s));
  for (const s of op.errors ?? []) set.add(s);
  return [...set].sort((a, b) => a - b);
}

function parameters(op: OperationSpec, path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const shape = op.params instanceof z.ZodObject ? (op.params.shape as Record<string, z.ZodType>) : {};
  const pathParams = names.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: shape[name] ? jsonSchema(shape[name], "input") : { type: "string" },
  }));
  if (op.query && !(op.query instanceof z.ZodObject)) throw new Error(`${path}: a query schema must be a z.object`);
  const queryParams = op.query
    ? Object.entries((op.query as z.ZodObject).shape as Record<string, z.ZodType>).map(([name, s]) => {
        const schema = jsonSchema(s, "input");
        return {
          name,
          in: "query",
          required: !s.safeParse(undefined).success,
          ...(typeof schema.description === "string" ? { description: schema.description } : {}),
          schema,
        };
      })
    : [];
  return [...pathParams, ...queryParams];
}

function requestBody(op: OperationSpec) {
  if (op.body) return { required: true, content: { "application/json": { schema: jsonSchema(op.body as z.ZodType, "input") } } };
  if (op.rawBody) {
    const raw = op.rawBody;
    const content = Object.fromEntries(
      raw.contentTypes.map((t) => [t, { schema: raw.schema && t.includes("json") ? jsonSchema(raw.schema, "input") : { type: "string" } }]),
    );
    return { required: true, description: raw.description, content };
  }
  return undefined;
}

function responses(op: OperationSpec, path: string) {
  const out: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const r = normalResponse(spec);
    const description = r.description ?? (r.contentTypes.length ? "Success" : "Done, no content");
    out[status] = r.contentTypes.length
      ? {
          description,
          content: Object.fromEntries(
            r.contentTypes.map((t) => [
              t,
              { schema: r.schema && t.includes("json") ? jsonSchema(r.schema, "output") : { type: "string" } },
            ]),
          ),
        }
      : { description };
  }
  const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  for (const s of errorStatuses(op, path)) out[String(s)] = { description: ERROR_TEXT[s] ?? "Error", content: problem };
  return out;
}

const operationId = (method: string, path: string) =>
  `${method.toLowerCase()}${path
    .replace(/^\/api\/admin/, "")
    .replace(/\{(\w+)\}/g, "By_$1")
    .replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`;

/** Every exported handler of every route module, as [path, method, declaration]. Undeclared handlers throw. */
export function declaredOperations(routes: RouteModule[]): { path: string; method: string; op: OperationSpec }[] {
  const ops: { path: string; method: string; op: OperationSpec }[] = [];
  for (const { dir, module } of routes) {
    const path = apiPathOf(dir);
    for (const method of HTTP_METHODS) {
      const handler = module[method];
      if (handler === undefined) continue;
      if (!isDeclaredHandler(handler))
        throw new Error(`${method} ${path} is not declared: wrap it in adminRoute({ summary, ..., responses }, handler)`);
      ops.push({ path, method, op: handler.operation });
    }
  }
  return ops;
}

export function buildOpenApiDocument(routes: RouteModule[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const { path, method, op } of declaredOperations(routes)) {
    op.tags.forEach((t) => tags.add(t));
    const description = [op.description, op.access ? `Access: ${accessText(op.access)}` : undefined].filter(Boolean).join("\n\n");
    const body = requestBody(op);
    (paths[path] ??= {})[method.toLowerCase()] = {
      tags: [...op.tags],
      summary: op.summary,
      ...(description ? { description } : {}),
      operationId: operationId(method, path),
      ...(op.public ? { security: [] } : {}),
      ...(op.access ? { "x-switchboard-access": op.access } : {}),
      parameters: parameters(op, path),
      ...(body ? { requestBody: body } : {}),
      responses: responses(op, path),
    };
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard admin API",
      version: appVersion,
      description:
        "The same operations as the console. Authenticate with a session cookie or `Authorization: Bearer <admin token>`. " +
        "Lists answer `{ data, nextCursor }`; errors are RFC 9457 problem documents with a request id. " +
        "Generated from each route's declaration, so it describes exactly what the routes serve.",
    },
    servers: [{ url: "/" }],
    security: [{ adminToken: [] }, { session: [] }],
    tags: [...tags].sort().map((name) => ({ name })),
    components: {
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "An admin token from Settings, or SWITCHBOARD_ADMIN_TOKEN" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: { Problem: jsonSchema(problemSchema, "output") },
    },
    paths: sortedPaths,
  };
}
