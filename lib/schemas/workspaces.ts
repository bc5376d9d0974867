import { z, textSchema } from "./zod";

export const roleSchema = z.enum(["ADMIN", "BUILDER", "MEMBER"]);
export type RoleName = z.infer<typeof roleSchema>;

export const workspaceNameSchema = textSchema({ max: 64 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "Use letters, digits, spaces, dots, dashes and underscores");

export const createWorkspaceSchema = z.strictObject({
  name: workspaceNameSchema,
  description: textSchema({ max: 500, multiline: true }).default(""),
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;

export const updateWorkspaceSchema = z.strictObject({
  name: workspaceNameSchema.optional(),
  description: textSchema({ max: 500, multiline: true }).optional(),
});
export type UpdateWorkspaceInput = z.infer<typeof updateWorkspaceSchema>;

export const emailSchema = z.string().trim().toLowerCase().max(254).email("Enter a valid email address");
export const passwordSchema = z.string().min(10, "Must be at least 10 characters").max(200, "Must be at most 200 characters");
export const personNameSchema = z.string().trim().min(1, "Required").max(100, "Must be at most 100 characters");

/** Adds a person to a workspace: an existing user by email, or a new account with an initial password. */
export const addMemberSchema = z.strictObject({
  email: emailSchema,
  role: roleSchema,
  name: personNameSchema.optional(),
  password: passwordSchema.optional(),
});
export type AddMemberInput = z.infer<typeof addMemberSchema>;

export const inviteMemberSchema = z.strictObject({
  email: emailSchema,
  role: roleSchema,
});
export type InviteMemberInput = z.infer<typeof inviteMemberSchema>;

export const acceptInvitationSchema = z.strictObject({
  token: z.string().min(20).max(200),
  name: personNameSchema,
  password: passwordSchema,
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationSchema>;

export const changeRoleSchema = z.strictObject({ role: roleSchema });
