import { z, idSchema, listQuerySchema, textSchema } from "./zod";

// End users' OAuth connections to a connector, and the connect links that create them.

/** The agent platform's id for an end user (the X-User-Id of tool calls); a console user's email. */
export const endUserIdSchema = textSchema({ max: 200 }).min(1, "Required");

export const createConnectSessionSchema = z.strictObject({ endUserId: endUserIdSchema });
export type CreateConnectSessionInput = z.infer<typeof createConnectSessionSchema>;

export const connectSessionDtoSchema = z.object({
  url: z.string().describe("The consent page under SWITCHBOARD_PUBLIC_URL; single use; the link is the capability"),
  expiresAt: z.iso.datetime(),
});
export type ConnectSessionDto = z.output<typeof connectSessionDtoSchema>;

export const CONNECTION_STATUSES = ["active", "needs_reauth", "failing"] as const;
export const connectionStatusSchema = z.enum(CONNECTION_STATUSES);

export const connectionQuerySchema = listQuerySchema.extend({ status: connectionStatusSchema.optional() });
export type ConnectionQuery = z.infer<typeof connectionQuerySchema>;

export const connectionDtoSchema = z.object({
  id: z.string(),
  endUserId: z.string(),
  status: connectionStatusSchema,
  scopes: z.array(z.string()),
  expiresAt: z.iso.datetime().nullable().describe("When the access token expires"),
  lastRefreshedAt: z.iso.datetime().nullable(),
  lastError: z.string(),
});
export type ConnectionDto = z.output<typeof connectionDtoSchema>;
export const connectionPageSchema = z.object({ data: z.array(connectionDtoSchema), nextCursor: z.string().nullable() });

// ---- a signed-in person's own view: the connectors they may connect their account to, with their connection

export const myConnectorQuerySchema = listQuerySchema.extend({ workspaceId: idSchema });
export type MyConnectorQuery = z.infer<typeof myConnectorQuerySchema>;

export const myConnectorDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  description: z.string(),
  provider: z.object({ id: z.string(), name: z.string() }),
  authMode: z.enum(["oauth-user", "hybrid"]),
  scopes: z.array(z.string()).describe("The scopes the consent asks for"),
  connection: connectionDtoSchema.nullable().describe("The caller's own connection (end user id = their email), if any"),
});
export type MyConnectorDto = z.output<typeof myConnectorDtoSchema>;
export const myConnectorPageSchema = z.object({ data: z.array(myConnectorDtoSchema), nextCursor: z.string().nullable() });
