import { z } from "../schemas/zod";
import { requestBodiesDtoSchema, requestBodiesQuerySchema, workspaceLoggingDtoSchema, workspaceLoggingSchema } from "../schemas/workspace-logging";
import { appVersion } from "../env";
import { listQuerySchema } from "../schemas/zod";
import { addMemberSchema, changeRoleSchema, createWorkspaceSchema, inviteMemberSchema, updateWorkspaceSchema } from "../schemas/workspaces";
import { createAdminTokenSchema } from "../schemas/tokens";
import { auditQuerySchema } from "../schemas/audit";
import { createdVirtualKeyDtoSchema, createVirtualKeySchema, updateVirtualKeySchema, virtualKeyDtoSchema, virtualKeyQuerySchema, virtualKeyScopeQuerySchema } from "../schemas/virtual-keys";
import {
  adminTokenDtoSchema,
  applyResultSchema,
  auditEntrySchema,
  createdAdminTokenSchema,
  invitationDtoSchema,
  meSchema,
  memberDtoSchema,
  pageOf,
  problemSchema,
  workspaceDtoSchema,
} from "../schemas/dto";
import {
  checkNowSchema,
  createDeploymentSchema,
  deploymentDetailDtoSchema,
  deploymentDtoSchema,
  deploymentQuerySchema,
  healthHistoryQuerySchema,
  healthHistorySchema,
  instanceDtoSchema,
  instanceInputSchema,
  updateDeploymentSchema,
  updateInstanceSchema,
} from "../schemas/deployments";
import {
  connectionTestSchema,
  createPlatformSchema,
  newPlatformKeySchema,
  platformDtoSchema,
  platformKeyDtoSchema,
  platformQuerySchema,
  updatePlatformKeySchema,
  updatePlatformSchema,
} from "../schemas/platforms";
import {
  addPriceSchema,
  catalogEntryDtoSchema,
  catalogQuerySchema,
  createModelSchema,
  deleteModelQuerySchema,
  modelDetailDtoSchema,
  modelDtoSchema,
  modelQuerySchema,
  priceDtoSchema,
  routeDtoSchema,
  routeTargetDtoSchema,
  setRoutesSchema,
  updateModelSchema,
} from "../schemas/models";
import {
  alertWebhookDtoSchema,
  budgetAlertDtoSchema,
  budgetAlertQuerySchema,
  budgetStatusDtoSchema,
  markAlertsReadSchema,
  setAlertWebhookSchema,
  updateWorkspaceBudgetSchema,
  workspaceScopeQuerySchema,
} from "../schemas/budgets";
import { usageDeadLetterDtoSchema, usageDeadLetterQuerySchema, usageRequestDetailDtoSchema, usageRequestDtoSchema, usageRequestGetQuerySchema, usageRequestQuerySchema } from "../schemas/usage";
import { usageReportQuerySchema, usageReportSchema, usageSeriesQuerySchema, usageSeriesSchema, usageSettingsDtoSchema, usageSettingsSchema } from "../schemas/usage";

// The admin API's OpenAPI document, generated from the same zod schemas the handlers parse with.
interface Op {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  tag: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyTypes?: string[];
  response?: z.ZodType;
  status?: number;
}

const ws = "/api/admin/workspaces/{id}";
const dep = "/api/admin/deployments/{id}";
const OPS: Op[] = [
  { method: "get", path: "/api/admin/me", tag: "Session", summary: "Who the caller is", response: meSchema },
  { method: "get", path: "/api/admin/workspaces", tag: "Workspaces", summary: "List workspaces", query: listQuerySchema, response: pageOf(workspaceDtoSchema) },
  { method: "post", path: "/api/admin/workspaces", tag: "Workspaces", summary: "Create a workspace", body: createWorkspaceSchema, response: workspaceDtoSchema, status: 201 },
  { method: "get", path: ws, tag: "Workspaces", summary: "Get a workspace by id or slug", response: workspaceDtoSchema },
  { method: "patch", path: ws, tag: "Workspaces", summary: "Update a workspace", body: updateWorkspaceSchema, response: workspaceDtoSchema },
  { method: "delete", path: ws, tag: "Workspaces", summary: "Delete a workspace", status: 204 },
  { method: "get", path: `${ws}/members`, tag: "Members", summary: "List members", query: listQuerySchema, response: pageOf(memberDtoSchema) },
  { method: "post", path: `${ws}/members`, tag: "Members", summary: "Add a member (existing account, or a new one with name and password)", body: addMemberSchema, response: memberDtoSchema, status: 201 },
  { method: "patch", path: `${ws}/members/{memberId}`, tag: "Members", summary: "Change a member's role", body: changeRoleSchema, response: memberDtoSchema },
  { method: "delete", path: `${ws}/members/{memberId}`, tag: "Members", summary: "Remove a member", status: 204 },
  { method: "get", path: `${ws}/invitations`, tag: "Members", summary: "Pending invitations", response: pageOf(invitationDtoSchema) },
  { method: "post", path: `${ws}/invitations`, tag: "Members", summary: "Invite by email; the link is returned once", body: inviteMemberSchema, response: invitationDtoSchema, status: 201 },
  { method: "delete", path: `${ws}/invitations/{invitationId}`, tag: "Members", summary: "Revoke an invitation", status: 204 },
  { method: "get", path: "/api/admin/tokens", tag: "Admin tokens", summary: "List admin tokens", query: listQuerySchema.extend({ includeRevoked: z.enum(["true", "false"]).optional() }), response: pageOf(adminTokenDtoSchema) },
  { method: "post", path: "/api/admin/tokens", tag: "Admin tokens", summary: "Create an admin token (shown once)", body: createAdminTokenSchema, response: createdAdminTokenSchema, status: 201 },
  { method: "delete", path: "/api/admin/tokens/{id}", tag: "Admin tokens", summary: "Revoke an admin token", response: adminTokenDtoSchema },
  { method: "get", path: "/api/admin/audit", tag: "Audit", summary: "Audit log, newest first", query: auditQuerySchema, response: pageOf(auditEntrySchema) },
  { method: "get", path: "/api/admin/config", tag: "Configuration", summary: "Export the configuration (YAML; ?format=json for JSON). Secrets become ${env:NAME} references.", query: z.object({ format: z.enum(["yaml", "json"]).optional() }) },
  { method: "post", path: "/api/admin/config", tag: "Configuration", summary: "Apply a configuration document (YAML or JSON), all or nothing", query: z.object({ dryRun: z.enum(["true", "false"]).optional() }), bodyTypes: ["application/yaml", "application/json"], response: applyResultSchema },
  { method: "get", path: "/api/admin/deployments", tag: "Deployments", summary: "List self-hosted deployments with a health summary", query: deploymentQuerySchema, response: pageOf(deploymentDtoSchema) },
  { method: "post", path: "/api/admin/deployments", tag: "Deployments", summary: "Create a deployment with its instances", body: createDeploymentSchema, response: deploymentDetailDtoSchema, status: 201 },
  { method: "get", path: dep, tag: "Deployments", summary: "Get a deployment with its instances' health", response: deploymentDetailDtoSchema },
  { method: "patch", path: dep, tag: "Deployments", summary: "Change a deployment's settings", body: updateDeploymentSchema, response: deploymentDetailDtoSchema },
  { method: "delete", path: dep, tag: "Deployments", summary: "Delete a deployment (refused while a model routes to it)", status: 204 },
  { method: "post", path: `${dep}/instances`, tag: "Deployments", summary: "Add an instance", body: instanceInputSchema, response: instanceDtoSchema, status: 201 },
  { method: "patch", path: `${dep}/instances/{instanceId}`, tag: "Deployments", summary: "Change an instance", body: updateInstanceSchema, response: instanceDtoSchema },
  { method: "delete", path: `${dep}/instances/{instanceId}`, tag: "Deployments", summary: "Remove an instance", status: 204 },
  { method: "get", path: `${dep}/health`, tag: "Deployments", summary: "Health check history per instance for a time window", query: healthHistoryQuerySchema, response: healthHistorySchema },
  { method: "post", path: `${dep}/check`, tag: "Deployments", summary: "Probe the instances (or one) now", body: checkNowSchema, response: deploymentDetailDtoSchema },
  { method: "get", path: "/api/admin/platforms", tag: "Platforms", summary: "List platforms (search, vendor and status filters)", query: platformQuerySchema, response: pageOf(platformDtoSchema) },
  { method: "post", path: "/api/admin/platforms", tag: "Platforms", summary: "Create a platform with its API keys (values are stored encrypted, never returned)", body: createPlatformSchema, response: platformDtoSchema, status: 201 },
  { method: "get", path: "/api/admin/platforms/{id}", tag: "Platforms", summary: "Get a platform with its keys (masked)", response: platformDtoSchema },
  { method: "patch", path: "/api/admin/platforms/{id}", tag: "Platforms", summary: "Change a platform's settings", body: updatePlatformSchema, response: platformDtoSchema },
  { method: "delete", path: "/api/admin/platforms/{id}", tag: "Platforms", summary: "Delete a platform and its keys (refused while a model routes to it)", status: 204 },
  { method: "post", path: "/api/admin/platforms/{id}/keys", tag: "Platforms", summary: "Add an API key", body: newPlatformKeySchema, response: platformKeyDtoSchema, status: 201 },
  { method: "patch", path: "/api/admin/platforms/{id}/keys/{keyId}", tag: "Platforms", summary: "Change a key's description, weight or on/off, or replace its value", body: updatePlatformKeySchema, response: platformKeyDtoSchema },
  { method: "delete", path: "/api/admin/platforms/{id}/keys/{keyId}", tag: "Platforms", summary: "Remove a key and destroy its stored value", status: 204 },
  { method: "post", path: "/api/admin/platforms/{id}/test", tag: "Platforms", summary: "Test connection: list the vendor's models with every key and mark each valid or invalid", response: connectionTestSchema },
  { method: "get", path: "/api/admin/models", tag: "Models", summary: "List logical models (q, provider, status, feature; sort by name or current input/output price)", query: modelQuerySchema, response: pageOf(modelDtoSchema) },
  { method: "post", path: "/api/admin/models", tag: "Models", summary: "Create a model with its first price (effective now unless given) and routes", body: createModelSchema, response: modelDetailDtoSchema, status: 201 },
  { method: "get", path: "/api/admin/models/route-targets", tag: "Models", summary: "Platforms and deployments a route may point to", response: pageOf(routeTargetDtoSchema) },
  { method: "get", path: "/api/admin/models/providers", tag: "Models", summary: "Distinct model providers", response: pageOf(z.string()) },
  { method: "get", path: "/api/admin/models/{id}", tag: "Models", summary: "A model with its current price, price history, routes in failover order and dependents", response: modelDetailDtoSchema },
  { method: "patch", path: "/api/admin/models/{id}", tag: "Models", summary: "Update a model's properties, context policy or status", body: updateModelSchema, response: modelDetailDtoSchema },
  { method: "delete", path: "/api/admin/models/{id}", tag: "Models", summary: "Delete a model; refused with 409 listing its dependents unless force=true confirms removing its routes", query: deleteModelQuerySchema, status: 204 },
  { method: "get", path: "/api/admin/models/{id}/prices", tag: "Models", summary: "Price history, newest first", response: pageOf(priceDtoSchema) },
  { method: "post", path: "/api/admin/models/{id}/prices", tag: "Models", summary: "Add a price effective from a date (default now); earlier prices are kept for billing", body: addPriceSchema, response: priceDtoSchema, status: 201 },
  { method: "put", path: "/api/admin/models/{id}/routes", tag: "Models", summary: "Replace the model's routes (failover chain) in one transaction", body: setRoutesSchema, response: pageOf(routeDtoSchema) },
  { method: "get", path: "/api/admin/catalog/models", tag: "Catalog", summary: "The bundled price catalog: public list prices (USD per million tokens), context windows and features, dated by catalogDate", query: catalogQuerySchema, response: pageOf(catalogEntryDtoSchema).extend({ catalogDate: z.string() }) },
  { method: "get", path: "/api/admin/keys", tag: "API keys", summary: "A workspace's API keys for the gateway (never their values); search by name, owner or prefix; filter by status", query: virtualKeyQuerySchema, response: pageOf(virtualKeyDtoSchema) },
  { method: "post", path: "/api/admin/keys", tag: "API keys", summary: "Create an API key in a workspace (?workspaceId=); the value is returned once", query: virtualKeyScopeQuerySchema.required(), body: createVirtualKeySchema, response: createdVirtualKeyDtoSchema, status: 201 },
  { method: "get", path: "/api/admin/keys/{id}", tag: "API keys", summary: "Get an API key", query: virtualKeyScopeQuerySchema, response: virtualKeyDtoSchema },
  { method: "patch", path: "/api/admin/keys/{id}", tag: "API keys", summary: "Change an API key's name, owner, allowed models, limits, budget or expiry (null clears)", query: virtualKeyScopeQuerySchema, body: updateVirtualKeySchema, response: virtualKeyDtoSchema },
  { method: "delete", path: "/api/admin/keys/{id}", tag: "API keys", summary: "Revoke an API key (idempotent; the key stops working at once)", query: virtualKeyScopeQuerySchema, response: virtualKeyDtoSchema },
  { method: "get", path: "/api/admin/usage/requests", tag: "Usage", summary: "A workspace's gateway requests, newest first (status code or class, outcome, model, key, user, agent, time range)", query: usageRequestQuerySchema, response: pageOf(usageRequestDtoSchema) },
  { method: "get", path: `${ws}/budget`, tag: "Budgets", summary: "The workspace's monthly budget, month-to-date spend (workspace and keys with a budget) and alert webhook (never its secret)", response: budgetStatusDtoSchema },
  { method: "patch", path: `${ws}/budget`, tag: "Budgets", summary: "Set the workspace's monthly budget (null clears) and what happens at 100 %: notify, or block gateway calls (Admins)", body: updateWorkspaceBudgetSchema, response: budgetStatusDtoSchema },
  { method: "put", path: `${ws}/budget/webhook`, tag: "Budgets", summary: "Set the budget alert webhook (Standard Webhooks signed); without a secret one is generated and returned once", body: setAlertWebhookSchema, response: alertWebhookDtoSchema },
  { method: "delete", path: `${ws}/budget/webhook`, tag: "Budgets", summary: "Clear the alert webhook and destroy its secret", status: 204 },
  { method: "post", path: `${ws}/budget/webhook/test`, tag: "Budgets", summary: "Send a signed budget.test event to the alert webhook", response: z.union([z.object({ ok: z.literal(true), status: z.number() }), z.object({ ok: z.literal(false), error: z.string() })]) },
  { method: "get", path: "/api/admin/alerts", tag: "Budgets", summary: "Budget alerts (50, 80, 100 % of a workspace or key budget), newest first, with the unread count", query: budgetAlertQuerySchema, response: pageOf(budgetAlertDtoSchema).extend({ unread: z.number().int() }) },
  { method: "post", path: "/api/admin/alerts/read", tag: "Budgets", summary: "Mark the listed alerts, or all of the workspace's, read", query: workspaceScopeQuerySchema, body: markAlertsReadSchema, response: z.object({ unread: z.number().int() }) },
  { method: "get", path: "/api/admin/usage/requests/{requestId}", tag: "Usage", summary: "One gateway request with its route trace: every attempt in order and the final outcome", query: usageRequestGetQuerySchema, response: usageRequestDetailDtoSchema },
  { method: "get", path: "/api/admin/usage/requests/{requestId}/bodies", tag: "Usage", summary: "The stored request and response bodies of one gateway request (when the workspace stores bodies)", query: requestBodiesQuerySchema, response: requestBodiesDtoSchema },
  { method: "get", path: `${ws}/logging`, tag: "Workspaces", summary: "Whether the gateway stores request and response bodies for this workspace, and for how many days", response: workspaceLoggingDtoSchema },
  { method: "patch", path: `${ws}/logging`, tag: "Workspaces", summary: "Turn body storage on or off and set its retention (1 to 365 days); Admins only", body: workspaceLoggingSchema, response: workspaceLoggingDtoSchema },
  { method: "get", path: "/api/admin/usage", tag: "Usage", summary: "Cost report: totals per group (workspace, user, agent, model, platform, deployment, key) over [from, to), top-N by cost, requests or tokens; JSON, or CSV with format=csv. From rollups unless a filter is on another dimension than groupBy (then from raw records: source=records)", query: usageReportQuerySchema, response: usageReportSchema },
  { method: "get", path: "/api/admin/usage/series", tag: "Usage", summary: "Cost, tokens and requests per hour or day bucket (UTC), with the top groups by cost broken out", query: usageSeriesQuerySchema, response: usageSeriesSchema },
  { method: "get", path: "/api/admin/usage/dead-letters", tag: "Usage", summary: "Usage records the database refused (e.g. text it cannot store), newest first: each with the database's reason and the record as produced; the rest of their batch was written (Admins)", query: usageDeadLetterQuerySchema, response: pageOf(usageDeadLetterDtoSchema) },
  { method: "get", path: `${ws}/usage-settings`, tag: "Usage", summary: "The workspace's raw usage record retention", response: usageSettingsDtoSchema },
  { method: "patch", path: `${ws}/usage-settings`, tag: "Usage", summary: "Change how many days raw usage records are kept (1-3650; hourly and daily rollups are kept)", body: usageSettingsSchema, response: usageSettingsDtoSchema },
];

const jsonSchema = (s: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;

function problemResponses() {
  const content = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  return Object.fromEntries(
    [
      ["401", "Not signed in, or the admin token is invalid or revoked"],
      ["403", "The caller's role does not allow this"],
      ["404", "Not found, or not visible to the caller"],
      ["422", "Validation failed; `errors` lists each field and reason"],
    ].map(([code, description]) => [code, { description, content }]),
  );
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => ({
          name,
          in: "query",
          required: !(s as z.ZodType).safeParse(undefined).success,
          schema: jsonSchema(s as z.ZodType, "input"),
        }))
      : [];
    const status = String(op.status ?? 200);
    (paths[op.path] ??= {})[op.method] = {
      tags: [op.tag],
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/^\/api\/admin/, "").replace(/\{(\w+)\}/g, "By_$1").replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      parameters: [...pathParams, ...queryParams],
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } }
        : op.bodyTypes
          ? { requestBody: { required: true, content: Object.fromEntries(op.bodyTypes.map((t) => [t, { schema: { type: t.includes("json") ? "object" : "string" } }])) } }
          : {}),
      responses: {
        [status]: op.response
          ? { description: "Success", content: { "application/json": { schema: jsonSchema(op.response, "output") } } }
          : { description: status === "204" ? "Done" : "Success" },
        ...problemResponses(),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard admin API",
      version: appVersion,
      description: "The same operations as the console. Authenticate with a session cookie or `Authorization: Bearer <admin token>`. Lists answer `{ data, nextCursor }`; errors are RFC 9457 problem documents with a request id.",
    },
    servers: [{ url: "/" }],
    security: [{ adminToken: [] }, { session: [] }],
    components: {
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "An admin token from Settings, or SWITCHBOARD_ADMIN_TOKEN" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: { Problem: jsonSchema(problemSchema, "output") },
    },
    paths,
  };
}
