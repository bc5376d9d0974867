import { z, idSchema, listQuerySchema, textSchema } from "./zod";

// Workspace keys ("virtual keys"): the bearer keys programs call the gateway with. One schema per input, shared
// by the console form, the admin API and the `workspaces[].keys` section of the configuration file.

export const VIRTUAL_KEY_PREFIX = "sbk_";
export const KEY_STATUSES = ["active", "expired", "revoked"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export const virtualKeyNameSchema = textSchema({ max: 64 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/@-]*$/u, "Use letters, digits, spaces and . _ : / @ -");

const ownerSchema = textSchema({ max: 120 });

const limit = (what: string, max: number, maxLabel: string) =>
  z
    .number({ error: (i) => (i.input === undefined ? "Required" : `${what} must be a whole number`) })
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1`)
    .max(max, `${what} must be at most ${maxLabel}`);

export const rpmSchema = limit("Requests per minute", 1_000_000, "1,000,000");
export const tpmSchema = limit("Tokens per minute", 1_000_000_000, "1,000,000,000");

/** USD per calendar month as a decimal string with at most 6 places; a number (config) or a string (forms). */
export const budgetSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = typeof v === "number" ? (Number.isFinite(v) && v >= 0 ? v.toFixed(10).replace(/\.?0+$/, "") : "x") : v.trim();
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(s)) {
    ctx.addIssue({
      code: "custom",
      message: /^\d+\.\d{7,}$/.test(s) ? "Use at most 6 decimal places" : "Enter a budget of 0 or more in USD, e.g. 100",
    });
    return z.NEVER;
  }
  return s;
});

/** What happens at 100 % of a monthly budget: alerts only, or the gateway refuses further calls. */
export const BUDGET_ACTIONS = ["notify", "block"] as const;
export const budgetActionSchema = z.enum(BUDGET_ACTIONS);
export type BudgetAction = z.infer<typeof budgetActionSchema>;

/** Logical model names; empty means every active model. */
export const allowedModelsSchema = z
  .array(textSchema({ max: 128 }).min(1, "Required"))
  .max(200, "At most 200 models")
  .superRefine((names, ctx) => {
    const seen = new Set<string>();
    names.forEach((n, i) => {
      const k = n.toLowerCase();
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i], message: `"${n}" is listed twice` });
      seen.add(k);
    });
  });

/** A date (YYYY-MM-DD: the key works through the end of that day, UTC) or an ISO date-time with an offset. */
export const expiresAtSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59.999Z`) : /T.*(Z|[+-]\d{2}:?\d{2})$/.test(v) ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "Enter a date (YYYY-MM-DD) or an ISO date-time with a time zone" });
      return z.NEVER;
    }
    return d.toISOString();
  });

const futureExpiry = expiresAtSchema.refine((iso) => new Date(iso).getTime() > Date.now(), "Must be in the future");

export const createVirtualKeySchema = z.strictObject({
  name: virtualKeyNameSchema,
  owner: ownerSchema.default(""),
  allowedModels: allowedModelsSchema.default([]),
  rpm: rpmSchema.nullish(),
  tpm: tpmSchema.nullish(),
  monthlyBudgetUsd: budgetSchema.nullish(),
  budgetAction: budgetActionSchema.optional(),
  expiresAt: futureExpiry.nullish(),
});
export type CreateVirtualKeyInput = z.infer<typeof createVirtualKeySchema>;

/** Every field optional; null clears a limit, the budget or the expiry. */
export const updateVirtualKeySchema = z.strictObject({
  name: virtualKeyNameSchema.optional(),
  owner: ownerSchema.optional(),
  allowedModels: allowedModelsSchema.optional(),
  rpm: rpmSchema.nullish(),
  tpm: tpmSchema.nullish(),
  monthlyBudgetUsd: budgetSchema.nullish(),
  budgetAction: budgetActionSchema.optional(),
  expiresAt: futureExpiry.nullish(),
});
export type UpdateVirtualKeyInput = z.infer<typeof updateVirtualKeySchema>;

export const virtualKeyQuerySchema = listQuerySchema.extend({
  workspaceId: idSchema,
  status: z.enum(KEY_STATUSES).optional(),
});
export type VirtualKeyQuery = z.infer<typeof virtualKeyQuerySchema>;

/** Routes that address one key by id may name its workspace; a key of another workspace is then not found. */
export const virtualKeyScopeQuerySchema = z.object({ workspaceId: idSchema.optional() });

/** One key in a configuration file (`workspaces[].keys[]`); the value is usually `${env:NAME}`. */
export const configKeySchema = z.strictObject({
  name: virtualKeyNameSchema,
  value: z
    .string()
    .min(24, "Must be at least 24 characters (write it as ${env:NAME} to keep it out of the file)")
    .max(200, "Must be at most 200 characters")
    .refine((v) => v.trim() === v && !/\s/.test(v), "Must not contain spaces"),
  models: allowedModelsSchema.optional(),
  owner: ownerSchema.optional(),
  rpm: rpmSchema.optional(),
  tpm: tpmSchema.optional(),
  monthlyBudgetUsd: budgetSchema.optional(),
  budgetAction: budgetActionSchema.optional(),
  // A file may keep an expiry that has since passed (applying it again must not fail); the key is then expired.
  expiresAt: expiresAtSchema.optional(),
});
export type ConfigKeyInput = z.infer<typeof configKeySchema>;

// Read shape for the OpenAPI document (lib/virtual-keys/key-dto.ts builds it): never the value or its hash.
export const virtualKeyDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  prefix: z.string().describe("First 12 characters of the key, for recognising it"),
  owner: z.string(),
  allowedModels: z.array(z.string()).describe("Empty: every active model"),
  rpm: z.number().int().nullable(),
  tpm: z.number().int().nullable(),
  monthlyBudgetUsd: z
    .string()
    .regex(/^\d+\.\d{6}$/)
    .nullable(),
  budgetAction: budgetActionSchema.describe("At 100 % of the budget: block (429 insufficient_quota) or notify only"),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  source: z.string(),
  status: z.enum(KEY_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const createdVirtualKeyDtoSchema = virtualKeyDtoSchema.extend({ value: z.string().describe("The key, returned only once") });
