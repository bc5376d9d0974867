import { z, idSchema, listQuerySchema, textSchema } from "./zod";

// API providers: external APIs described by OpenAPI documents, owned by a workspace. One schema per input,
// shared by the console's import dialog, the admin API and the `providers` section of the configuration file.

export const providerNameSchema = textSchema({ max: 80 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/()&+-]*$/u, "Use letters, digits, spaces and . _ : / ( ) & + -");

/** A global id such as "github" or "hubspot.crm". */
export const globalIdSchema = z
  .string()
  .trim()
  .min(2, "Must be at least 2 characters")
  .max(64, "Must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "Use lower-case letters, digits and . _ -");

/** The document's text, JSON or YAML (the size limit is checked by bytes when it is loaded). */
export const documentTextSchema = z
  .string()
  .min(1, "Required")
  .max(20 * 1024 * 1024, "The document is larger than 20 MiB");
export const documentUrlSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(2048, "Must be at most 2048 characters")
  .regex(/^https?:\/\//i, "Enter an http(s) URL");

/** Adding a provider from the central repository (the catalog page's form and the API's third body shape). */
export const createFromCatalogSchema = z.strictObject({
  name: providerNameSchema,
  catalogId: globalIdSchema.describe("An entry of the central repository"),
});
export const createProviderSchema = z.union([
  z.strictObject({ name: providerNameSchema, document: documentTextSchema }),
  z.strictObject({ name: providerNameSchema, url: documentUrlSchema }),
  createFromCatalogSchema,
]);
export type CreateProviderInput = z.infer<typeof createProviderSchema>;

export const importProviderSchema = z.union([z.strictObject({ document: documentTextSchema }), z.strictObject({ url: documentUrlSchema })]);
export type ImportProviderInput = z.infer<typeof importProviderSchema>;

const scopesSchema = z.record(z.string().max(200), z.string().max(1000));
const flowSchema = z.strictObject({
  authorizationUrl: z.string().max(2048).optional(),
  tokenUrl: z.string().max(2048).optional(),
  refreshUrl: z.string().max(2048).optional(),
  scopes: scopesSchema,
});
export const authSchemeSchema = z.strictObject({
  key: z.string().min(1).max(100),
  type: z.enum(["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]),
  description: z.string().max(2000).optional(),
  in: z.enum(["header", "query", "cookie"]).optional(),
  name: z.string().max(200).optional(),
  scheme: z.string().max(50).optional(),
  bearerFormat: z.string().max(100).optional(),
  openIdConnectUrl: z.string().max(2048).optional(),
  flows: z.record(z.string().max(50), flowSchema).optional(),
});
const serverVariableSchema = z.strictObject({
  default: z.string().max(1000),
  enum: z.array(z.string().max(1000)).max(100).optional(),
  description: z.string().max(1000).optional(),
});
export const serverSchema = z.strictObject({
  url: z.string().min(1).max(2048),
  description: z.string().max(1000),
  template: z.string().max(2048).optional().describe("The URL with its {variable} placeholders, when it has variables"),
  variables: z.record(z.string().max(100), serverVariableSchema).optional(),
});

// Servers and auth schemes edited by hand (many documents lack them): checked more closely than what a document
// brings, so the connector dialog and the tool calls can rely on them. Errors name the exact field.
const OAUTH_FLOWS = ["authorizationCode", "clientCredentials", "implicit", "password"] as const;
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const editedServersSchema = z
  .array(serverSchema)
  .max(20, "At most 20 servers")
  .superRefine((servers, ctx) => {
    const seen = new Set<string>();
    servers.forEach((s, i) => {
      const url = s.url.trim();
      if (!HTTP_URL.test(url) && !/^\/[^\s]*$/.test(url))
        ctx.addIssue({
          code: "custom",
          path: [i, "url"],
          message: "Enter an http(s) URL, or a path starting with / (relative to the document)",
        });
      else if (seen.has(url)) ctx.addIssue({ code: "custom", path: [i, "url"], message: "This server is listed twice" });
      seen.add(url);
    });
  });

export const editedAuthSchemesSchema = z
  .array(authSchemeSchema)
  .max(20, "At most 20 auth schemes")
  .superRefine((schemes, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const keys = new Set<string>();
    schemes.forEach((a, i) => {
      if (!/^[A-Za-z0-9_.-]+$/.test(a.key)) issue([i, "key"], "Use letters, digits and _ . -");
      else if (keys.has(a.key)) issue([i, "key"], "Another scheme has this key");
      keys.add(a.key);
      if (a.type === "apiKey") {
        if (!a.in) issue([i, "in"], "Choose header, query or cookie");
        if (!a.name?.trim()) issue([i, "name"], "Required: the header, query parameter or cookie name");
        else if (!HEADER_TOKEN.test(a.name)) issue([i, "name"], "Use a valid header, parameter or cookie name (no spaces)");
      }
      if (a.type === "http" && !a.scheme?.trim()) issue([i, "scheme"], "Required: bearer or basic");
      if (a.type === "oauth2") {
        const flows = Object.entries(a.flows ?? {});
        if (!flows.length) issue([i, "flows"], "Give at least one OAuth 2.0 flow");
        for (const [name, f] of flows) {
          if (!(OAUTH_FLOWS as readonly string[]).includes(name)) {
            issue([i, "flows", name], `Unknown flow; use ${OAUTH_FLOWS.join(", ")}`);
            continue;
          }
          const needs = { authorizationUrl: name === "authorizationCode" || name === "implicit", tokenUrl: name !== "implicit" };
          for (const field of ["authorizationUrl", "tokenUrl", "refreshUrl"] as const) {
            const url = f[field]?.trim();
            if (!url) {
              if (field !== "refreshUrl" && needs[field]) issue([i, "flows", name, field], "Required for this flow");
            } else if (!HTTP_URL.test(url)) issue([i, "flows", name, field], "Enter an http(s) URL");
          }
          for (const scope of Object.keys(f.scopes))
            if (!scope || /\s/.test(scope)) issue([i, "flows", name, "scopes"], `A scope has no spaces: "${scope}"`);
        }
      }
    });
  });

export const updateProviderSchema = z.strictObject({
  name: providerNameSchema.optional(),
  title: textSchema({ max: 200 }).optional(),
  description: textSchema({ max: 20_000, multiline: true }).optional(),
  globalId: globalIdSchema.optional(),
  servers: editedServersSchema.optional(),
  authSchemes: editedAuthSchemesSchema.optional(),
  followUpdates: z.boolean().optional().describe("Sync automatically when the catalog entry gets a newer version"),
});
export type UpdateProviderInput = z.infer<typeof updateProviderSchema>;

export const providerQuerySchema = listQuerySchema.extend({ workspaceId: idSchema });
export const providerScopeQuerySchema = z.object({ workspaceId: idSchema });

export const HTTP_METHOD_NAMES = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
export const operationQuerySchema = listQuerySchema.extend({
  tag: z.string().trim().max(200).optional(),
  method: z
    .string()
    .trim()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(HTTP_METHOD_NAMES))
    .optional(),
  enabled: z.enum(["true", "false"]).optional(),
});
export type OperationQuery = z.infer<typeof operationQuerySchema>;

export const updateOperationSchema = z.strictObject({ enabled: z.boolean() });
export const diffQuerySchema = z.object({ from: idSchema, to: idSchema });

// ---- read shapes

export const providerDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  title: z.string(),
  description: z.string(),
  globalId: z.string().nullable(),
  versionLabel: z.string(),
  servers: z.array(serverSchema),
  authSchemes: z.array(authSchemeSchema),
  currentVersionId: z.string().nullable(),
  currentVersionNumber: z.number().int().nullable(),
  specVersion: z.string().nullable(),
  operationCount: z.number().int(),
  enabledOperationCount: z.number().int(),
  source: z.string(),
  catalog: z
    .object({
      id: z.string(),
      syncedVersion: z.string().nullable(),
      latestVersion: z.string().nullable().describe("null when the entry is no longer in the central repository"),
      updateAvailable: z.boolean(),
    })
    .nullable()
    .describe("The central repository entry this provider was synced from"),
  followUpdates: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ProviderDto = z.output<typeof providerDtoSchema>;

export const providerImportDtoSchema = providerDtoSchema.extend({
  versionCreated: z.boolean().describe("false when the document is identical to the current version"),
});

// Any JSON value (parts of the provider's document); z.json() is recursive, which the document generator cannot name.
const jsonValue = z.unknown();
export const toolDtoSchema = z.object({ name: z.string(), description: z.string(), inputSchema: z.record(z.string(), jsonValue) });

export const operationDtoSchema = z.object({
  id: z.string(),
  operationId: z.string(),
  method: z.string(),
  path: z.string(),
  summary: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  deprecated: z.boolean(),
  enabled: z.boolean(),
  parameters: jsonValue,
  requestBody: jsonValue.nullable(),
  responses: jsonValue,
  security: jsonValue.nullable(),
  tool: toolDtoSchema,
});
export type OperationDto = z.output<typeof operationDtoSchema>;

export const operationPageSchema = z.object({
  data: z.array(operationDtoSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().describe("Operations matching the filters"),
  tags: z.array(z.string()).describe("Every tag of the provider's operations, for filtering"),
});

export const versionDtoSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  contentHash: z.string(),
  sourceKind: z.enum(["document", "url", "restore", "catalog"]),
  sourceUrl: z.string().nullable(),
  restoredFromId: z.string().nullable(),
  versionLabel: z.string(),
  specVersion: z.string(),
  operationCount: z.number().int(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  current: z.boolean(),
});
export type VersionDto = z.output<typeof versionDtoSchema>;

const diffEntrySchema = z.object({
  method: z.string(),
  path: z.string(),
  operationId: z.string(),
  summary: z.string(),
  breaking: z.boolean(),
  changes: z.array(z.object({ kind: z.string(), detail: z.string(), breaking: z.boolean() })),
});
export const diffDtoSchema = z.object({
  from: z.string(),
  to: z.string(),
  added: z.array(diffEntrySchema),
  removed: z.array(diffEntrySchema),
  changed: z.array(diffEntrySchema),
  breaking: z.boolean(),
});

export const catalogUpdateDtoSchema = diffDtoSchema.omit({ from: true, to: true }).extend({
  catalogId: z.string(),
  syncedVersion: z.string().nullable(),
  latestVersion: z.string(),
  updateAvailable: z.boolean(),
});
