import { z } from "./zod";
import { roleSchema } from "./workspaces";

// Read shapes returned by the admin API, used for its OpenAPI document. They never include secret fields.
export const workspaceDtoSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  memberCount: z.number().int().optional(),
  role: roleSchema.optional(),
});

export const memberDtoSchema = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  joinedAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
});

export const invitationDtoSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  url: z.string().optional().describe("Only in the response to the invitation's creation"),
});

export const adminTokenDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  source: z.enum(["console", "config"]),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

export const createdAdminTokenSchema = adminTokenDtoSchema.extend({
  token: z.string().describe("The token itself. Shown only in this response; store it now."),
});

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actorType: z.enum(["user", "token", "config", "system"]),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  workspaceId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  targetLabel: z.string().nullable(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  requestId: z.string().nullable(),
});

export const configChangeSchema = z.object({
  section: z.string(),
  name: z.string(),
  action: z.enum(["create", "update", "unchanged"]),
  fields: z.array(z.string()).optional(),
  note: z.string().optional().describe("Where values the file left out came from, e.g. a catalog entry"),
});

export const applyResultSchema = z.object({
  dryRun: z.boolean(),
  changes: z.array(configChangeSchema),
  summary: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int() }),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  requestId: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const meSchema = z.object({
  type: z.enum(["user", "token", "config", "system"]),
  label: z.string(),
  instanceAdmin: z.boolean(),
  id: z.string().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
});
