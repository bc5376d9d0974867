import { z, listQuerySchema } from "./zod";

export const auditQuerySchema = listQuerySchema.extend({
  workspaceId: z.string().max(64).optional(),
  actorType: z.enum(["user", "token", "config", "system"]).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(64).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
