import { z } from "./zod";

export const tokenNameSchema = z
  .string()
  .trim()
  .min(2, "Must be at least 2 characters")
  .max(64, "Must be at most 64 characters");

export const createAdminTokenSchema = z.strictObject({
  name: tokenNameSchema,
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export type CreateAdminTokenInput = z.infer<typeof createAdminTokenSchema>;
