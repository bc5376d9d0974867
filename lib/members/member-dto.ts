import type { z } from "../schemas/zod";
import type { memberDtoSchema } from "../schemas/dto";
import type { RoleName } from "../schemas/workspaces";

export type MemberDto = z.output<typeof memberDtoSchema>;

export function toMemberDto(m: {
  id: string;
  role: RoleName;
  createdAt: Date;
  user: { id: string; email: string; name: string; lastLoginAt: Date | null };
}): MemberDto {
  return {
    id: m.id,
    userId: m.user.id,
    email: m.user.email,
    name: m.user.name,
    role: m.role,
    joinedAt: m.createdAt.toISOString(),
    lastLoginAt: m.user.lastLoginAt?.toISOString() ?? null,
  };
}
