import type { z } from "../schemas/zod";
import type { workspaceDtoSchema } from "../schemas/dto";
import type { RoleName } from "../schemas/workspaces";

export type WorkspaceDto = z.output<typeof workspaceDtoSchema>;

export function toWorkspaceDto(
  w: { id: string; slug: string; name: string; description: string; createdAt: Date; updatedAt: Date; _count?: { memberships: number } },
  role?: RoleName,
): WorkspaceDto {
  return {
    id: w.id,
    slug: w.slug,
    name: w.name,
    description: w.description,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
    ...(w._count ? { memberCount: w._count.memberships } : {}),
    ...(role ? { role } : {}),
  };
}
