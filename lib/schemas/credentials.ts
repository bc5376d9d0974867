import { z, listQuerySchema, textSchema } from "./zod";

export const CREDENTIAL_KINDS = [
  "api-key",
  "oauth-client-secret",
  "oauth-token",
  "webhook-secret",
  "mcp-header",
  "mcp-env",
  "password",
  "connector-secret",
  "other",
] as const;
export const credentialKindSchema = z.enum(CREDENTIAL_KINDS);
export type CredentialKind = z.infer<typeof credentialKindSchema>;

export const CREDENTIAL_KIND_LABELS: Record<CredentialKind, string> = {
  "api-key": "API key",
  "oauth-client-secret": "OAuth client secret",
  "oauth-token": "OAuth token",
  "webhook-secret": "Webhook signing secret",
  "mcp-header": "MCP auth header",
  "mcp-env": "MCP stdio variable",
  password: "Password",
  "connector-secret": "Connector secret",
  other: "Other secret",
};

export const credentialNameSchema = textSchema({ max: 80 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u, "Use letters, digits, spaces and . _ : / -");

export const secretValueSchema = z
  .string()
  .min(1, "Required")
  .max(16_384, "Must be at most 16384 characters")
  .refine((v) => v.trim().length > 0, "Must not be blank");

export const createCredentialSchema = z.strictObject({
  name: credentialNameSchema,
  kind: credentialKindSchema,
  value: secretValueSchema,
  description: textSchema({ max: 500, multiline: true }).default(""),
});
export type CreateCredentialInput = z.infer<typeof createCredentialSchema>;

export const updateCredentialSchema = z.strictObject({
  name: credentialNameSchema.optional(),
  description: textSchema({ max: 500, multiline: true }).optional(),
  /** A new value replaces the old one; the old value is never shown. */
  value: secretValueSchema.optional(),
});
export type UpdateCredentialInput = z.infer<typeof updateCredentialSchema>;

export const credentialQuerySchema = listQuerySchema.extend({ kind: credentialKindSchema.optional() });
export type CredentialQuery = z.infer<typeof credentialQuerySchema>;

// Read shape of a credential (lib/credentials/credential-dto.ts builds it): no field can carry the secret, only its mask.
export const credentialDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string().nullable().describe("null: an instance-level credential (platform keys)"),
  name: z.string(),
  kind: credentialKindSchema,
  description: z.string(),
  mask: z.string().describe("The first and last characters, e.g. sk-...a1b2"),
  keyId: z.string().describe("The encryption key id that protects the value"),
  source: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  usedBy: z.array(z.object({ ownerType: z.string(), ownerId: z.string(), label: z.string() })),
});
export type CredentialDto = z.output<typeof credentialDtoSchema>;

export const keyUsageCountSchema = z.object({
  keyId: z.string(),
  count: z.number().int().describe("Secrets this key id protects"),
  current: z.boolean().describe("The key new secrets are encrypted with"),
});
