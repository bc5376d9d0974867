import { z, listQuerySchema, textSchema } from "./zod";

export const CREDENTIAL_KINDS = ["api-key", "oauth-client-secret", "oauth-token", "webhook-secret", "mcp-header", "password", "other"] as const;
export const credentialKindSchema = z.enum(CREDENTIAL_KINDS);
export type CredentialKind = z.infer<typeof credentialKindSchema>;

export const CREDENTIAL_KIND_LABELS: Record<CredentialKind, string> = {
  "api-key": "API key",
  "oauth-client-secret": "OAuth client secret",
  "oauth-token": "OAuth token",
  "webhook-secret": "Webhook signing secret",
  "mcp-header": "MCP auth header",
  password: "Password",
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
