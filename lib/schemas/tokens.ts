import { z, textSchema } from "./zod";

export const tokenNameSchema = textSchema({ max: 64 }).min(2, "Must be at least 2 characters");

export const createAdminTokenSchema = z.strictObject({
  name: tokenNameSchema,
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export type CreateAdminTokenInput = z.infer<typeof createAdminTokenSchema>;
