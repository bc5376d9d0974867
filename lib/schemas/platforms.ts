import { z, listQuerySchema, httpUrlSchema, textSchema } from "./zod";
import { secretValueSchema } from "./credentials";
import { apiVersionProblem, VENDOR_IDS, type VendorId } from "../platforms/vendors";

// One schema per input: the console forms, the admin API and the `platforms` config section parse with these.

export const vendorSchema = z.enum(VENDOR_IDS, {
  error: (iss) => (iss.input === undefined ? "Required" : `Use one of: ${VENDOR_IDS.join(", ")}`),
});

export const PLATFORM_STATUSES = ["active", "disabled"] as const;
export const platformStatusSchema = z.enum(PLATFORM_STATUSES);

export const platformNameSchema = textSchema({ max: 80 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._()/-]*$/u, "Use letters, digits, spaces and . _ ( ) / -");

/** http(s) only; where it may point (private addresses) is checked by the domain against `internal`. */
export const baseUrlSchema = httpUrlSchema({ max: 500, message: "Enter an http:// or https:// URL" });

export const apiVersionSchema = z
  .string()
  .trim()
  .max(40, "Must be at most 40 characters")
  .regex(/^[A-Za-z0-9._-]*$/, "Use letters, digits and . _ -");

const notesSchema = textSchema({ max: 2000, multiline: true });
export const keyDescriptionSchema = textSchema({ max: 60 });
export const keyWeightSchema = z.coerce
  .number({ error: "Enter a whole number from 0 to 100" })
  .int("Enter a whole number from 0 to 100")
  .min(0, "Must be 0 or more")
  .max(100, "Must be at most 100");

export const newPlatformKeySchema = z.strictObject({
  value: secretValueSchema,
  /** e.g. primary, backup; identifies the key within its platform (config files match keys by it). */
  description: keyDescriptionSchema.default(""),
  /** Share of traffic relative to the platform's other enabled keys; 0 keeps the key as a standby. */
  weight: keyWeightSchema.default(1),
  enabled: z.boolean().default(true),
});
export type NewPlatformKeyInput = z.infer<typeof newPlatformKeySchema>;

export const updatePlatformKeySchema = z.strictObject({
  description: keyDescriptionSchema.optional(),
  weight: keyWeightSchema.optional(),
  enabled: z.boolean().optional(),
  /** A new value replaces the key in the credentials store; the old one is never shown. */
  value: secretValueSchema.optional(),
});
export type UpdatePlatformKeyInput = z.infer<typeof updatePlatformKeySchema>;

const platformFields = {
  name: platformNameSchema,
  vendor: vendorSchema,
  baseUrl: baseUrlSchema,
  /** Azure's api-version (required, defaults to 2024-06-01); Anthropic's anthropic-version (optional). */
  apiVersion: apiVersionSchema.optional(),
  notes: notesSchema.optional(),
  status: platformStatusSchema.optional(),
  /** Set by an admin: the base URL may be a private or loopback address (self-hosted, private network). */
  internal: z.boolean().optional(),
};

function checkApiVersion(p: { vendor?: VendorId; apiVersion?: string | null }, ctx: z.RefinementCtx) {
  if (!p.vendor) return;
  const problem = apiVersionProblem(p.vendor, p.apiVersion);
  if (problem) ctx.addIssue({ code: "custom", path: ["apiVersion"], message: problem });
}

function checkKeyDescriptions(keys: { description?: string }[] | undefined, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  keys?.forEach((k, i) => {
    const d = (k.description ?? "").toLowerCase();
    if (!d) return;
    if (seen.has(d))
      ctx.addIssue({ code: "custom", path: ["keys", i, "description"], message: "Two keys of a platform cannot share a description" });
    seen.add(d);
  });
}

export const createPlatformSchema = z
  .strictObject({ ...platformFields, keys: z.array(newPlatformKeySchema).max(50, "At most 50 keys").default([]) })
  .superRefine((p, ctx) => {
    checkApiVersion(p, ctx);
    checkKeyDescriptions(p.keys, ctx);
  });
export type CreatePlatformInput = z.infer<typeof createPlatformSchema>;

/**
 * A platform in a configuration file. Without `keys` the platform's keys are left as they are; a key's weight
 * and on/off are managed only when written (a new key defaults to weight 1, on).
 */
export const platformConfigSchema = z
  .strictObject({
    ...platformFields,
    keys: z
      .array(
        z.strictObject({
          value: secretValueSchema,
          description: keyDescriptionSchema.optional(),
          weight: keyWeightSchema.optional(),
          enabled: z.boolean().optional(),
        }),
      )
      .max(50, "At most 50 keys")
      .optional(),
  })
  .superRefine((p, ctx) => {
    checkApiVersion(p, ctx);
    checkKeyDescriptions(p.keys, ctx);
  });
export type PlatformConfigItem = z.infer<typeof platformConfigSchema>;

export const updatePlatformSchema = z
  .strictObject({
    name: platformNameSchema.optional(),
    vendor: vendorSchema.optional(),
    baseUrl: baseUrlSchema.optional(),
    /** null clears it. */
    apiVersion: apiVersionSchema.nullable().optional(),
    notes: notesSchema.optional(),
    status: platformStatusSchema.optional(),
    internal: z.boolean().optional(),
  })
  .superRefine(checkApiVersion);
export type UpdatePlatformInput = z.infer<typeof updatePlatformSchema>;

export const platformQuerySchema = listQuerySchema.extend({
  vendor: vendorSchema.optional(),
  status: platformStatusSchema.optional(),
});
export type PlatformQuery = z.infer<typeof platformQuerySchema>;

export const CHECK_STATUSES = ["unknown", "valid", "invalid"] as const;

// Read shapes (no field can carry a key: only the credential's mask).
export const platformKeyDtoSchema = z.object({
  id: z.string(),
  description: z.string(),
  weight: z.number().int(),
  enabled: z.boolean(),
  mask: z.string(),
  credentialId: z.string(),
  checkStatus: z.enum(CHECK_STATUSES),
  lastCheckedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PlatformKeyDto = z.infer<typeof platformKeyDtoSchema>;

export const platformDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  vendor: vendorSchema,
  baseUrl: z.string(),
  apiVersion: z.string().nullable(),
  notes: z.string(),
  status: platformStatusSchema,
  internal: z.boolean(),
  source: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  keyCount: z.number().int(),
  enabledKeyCount: z.number().int(),
  /** Logical models routed to this platform (names). */
  routedModels: z.array(z.string()),
  keys: z.array(platformKeyDtoSchema).optional().describe("Only when reading one platform"),
});
export type PlatformDto = z.infer<typeof platformDtoSchema>;

export const keyTestResultSchema = z.object({
  keyId: z.string(),
  description: z.string(),
  mask: z.string(),
  enabled: z.boolean(),
  status: z.enum(["valid", "invalid", "error"]),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  models: z.array(z.string()),
  latencyMs: z.number().int(),
});
export type KeyTestResult = z.infer<typeof keyTestResultSchema>;

export const connectionTestSchema = z.object({
  platformId: z.string(),
  checkedAt: z.iso.datetime(),
  keys: z.array(keyTestResultSchema),
  /** The union of the model ids every key listed. */
  models: z.array(z.string()),
  note: z.string().nullable(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;
