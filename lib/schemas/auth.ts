import { z } from "./zod";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).email("Enter a valid email address"),
  password: z.string().min(1, "Required").max(200),
});
export type SignInInput = z.infer<typeof signInSchema>;
