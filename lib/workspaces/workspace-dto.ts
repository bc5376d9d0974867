import type { RoleName } from "../schemas/workspaces";

export interface WorkspaceDto {
  id: string;
  slug: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  memberCount?: number;
  role?: RoleName;
}

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
