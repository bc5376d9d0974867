import { z, idSchema, listQuerySchema, textSchema } from "./zod";
import { globalIdSchema } from "./providers";

// Connectors: a workspace provider configured with authentication and parameters for one tenant, user or
// environment. One schema per input, shared by the console's dialog, the admin API and the `connectors` section
// of the configuration file.

/** Also the stem of the connector's credential names (`connector:<name>:<field>`), so it follows their rules. */
export const connectorNameSchema = textSchema({ max: 60 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u, "Use letters, digits, spaces and . _ : / -");

/** A server variable or another provider parameter: `tenant`, `region`, `api_version`. */
export const paramNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "Use letters, digits and _ . -");
export const paramsSchema = z
  .record(paramNameSchema, z.string().max(1000, "Must be at most 1000 characters"))
  .refine((p) => Object.keys(p).length <= 50, "At most 50 parameters");

export const connectorBaseUrlSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(2048, "Must be at most 2048 characters")
  .regex(/^https?:\/\/[^\s]+$/i, "Enter an http(s) URL");

/**
 * The authentication as a client sends it: `{ mode, ...the mode's fields }`, secrets in plain text. Each mode
 * checks its own fields (lib/connectors/auth); this schema only bounds the shape, so a new mode needs no change
 * here. On an update a secret field left out keeps the stored secret.
 */
export const connectorAuthSchema = z
  .object({ mode: z.string().trim().min(1, "Required").max(40) })
  .catchall(z.union([z.string().max(16_384), z.array(z.string().max(200)).max(100), z.record(z.string().max(64), z.string().max(500))]))
  .describe(
    "api-key: { in: header|query|cookie, name, value }; bearer: { value }; basic: { username, password }; app-token: { value } or { clientId, clientSecret, tokenUrl, scopes } (client credentials); oauth-user: { clientId, clientSecret, authorizeUrl, tokenUrl, scopes, authorizeParams, revocationUrl } (URLs default from the provider's oauth2 scheme); hybrid: oauth-user's fields and an optional static app token { value }",
  );
export type ConnectorAuthInput = z.infer<typeof connectorAuthSchema>;

export const pinnedVersionSchema = z.union([z.literal("latest"), idSchema]).describe('"latest" follows the provider\'s current version');

const connectorFieldsSchema = z.strictObject({
  providerId: idSchema.optional().describe("A provider of the workspace; or give catalogId"),
  catalogId: globalIdSchema
    .optional()
    .describe(
      "A central repository entry: the workspace's provider synced from it, or, when there is none, one synced now (named after the entry)",
    ),
  name: connectorNameSchema,
  description: textSchema({ max: 2000, multiline: true }).default(""),
  baseUrl: connectorBaseUrlSchema
    .optional()
    .describe("One of the provider's servers (the first when omitted) or, with customBaseUrl, any URL"),
  customBaseUrl: z.boolean().default(false),
  pinnedVersionId: pinnedVersionSchema.default("latest"),
  params: paramsSchema.default({}),
  public: z.boolean().default(false),
  internal: z.boolean().default(false).describe("Allow private addresses for the base URL (Admins only)"),
  auth: connectorAuthSchema,
});
export const createConnectorSchema = connectorFieldsSchema.superRefine((c, ctx) => {
  if (!!c.providerId === !!c.catalogId)
    ctx.addIssue({
      code: "custom",
      path: [c.providerId ? "catalogId" : "providerId"],
      message: c.providerId
        ? "Give either providerId or catalogId, not both"
        : "Choose a provider: give providerId (a provider of the workspace) or catalogId (a central repository entry)",
    });
});
export type CreateConnectorInput = z.infer<typeof createConnectorSchema>;

export const updateConnectorSchema = z.strictObject({
  name: connectorNameSchema.optional(),
  description: textSchema({ max: 2000, multiline: true }).optional(),
  baseUrl: connectorBaseUrlSchema.optional(),
  customBaseUrl: z.boolean().optional(),
  pinnedVersionId: pinnedVersionSchema.optional(),
  params: paramsSchema.optional(),
  public: z.boolean().optional(),
  internal: z.boolean().optional(),
  auth: connectorAuthSchema.optional(),
});
export type UpdateConnectorInput = z.infer<typeof updateConnectorSchema>;

export const CONNECTOR_STATUSES = ["untested", "active", "needs_reauth", "expired", "failing"] as const;
export const connectorStatusSchema = z.enum(CONNECTOR_STATUSES);
export type ConnectorStatus = z.infer<typeof connectorStatusSchema>;

export const connectorQuerySchema = listQuerySchema.extend({
  workspaceId: idSchema,
  providerId: idSchema.optional(),
  status: connectorStatusSchema.optional(),
});
export type ConnectorQuery = z.infer<typeof connectorQuerySchema>;
export const connectorScopeQuerySchema = z.object({ workspaceId: idSchema });

// ---- read shapes

export const connectorDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  description: z.string(),
  provider: z.object({ id: z.string(), name: z.string() }),
  globalId: z.string().nullable(),
  baseUrl: z.string(),
  pinnedVersionId: z.string().nullable().describe("null: follows the provider's current version"),
  pinnedVersionNumber: z.number().int().nullable(),
  params: z.record(z.string(), z.string()),
  public: z.boolean(),
  internal: z.boolean(),
  auth: z
    .object({ mode: z.string(), label: z.string() })
    .catchall(z.unknown())
    .describe("The mode's settings; each secret appears only as its mask"),
  status: connectorStatusSchema,
  statusReason: z.string(),
  statusAt: z.iso.datetime().nullable(),
  source: z.string(),
  providerAdded: z
    .boolean()
    .optional()
    .describe("On a create from catalogId: true when the provider was synced into the workspace by this request"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ConnectorDto = z.output<typeof connectorDtoSchema>;

export const connectionTestDtoSchema = z.object({
  status: connectorStatusSchema,
  reason: z.string(),
  httpStatus: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  checkedAt: z.iso.datetime(),
});
export type ConnectionTestDto = z.output<typeof connectionTestDtoSchema>;

/** One call on the activity tab (GET /api/admin/connectors/{id}/calls). */
export interface ConnectorCallDto {
  id: string;
  operationId: string;
  method: string;
  path: string;
  status: number | null;
  outcome: string;
  errorCode: string | null;
  latencyMs: number;
  endUserId: string | null;
  agent: string | null;
  keyId: string | null;
  createdAt: string;
}
