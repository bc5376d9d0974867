// PATCH /api/admin/workspaces/{id}/members/{memberId} - change role; DELETE - remove from the workspace
import { adminRoute } from "@/lib/http/admin-route";
import { memberDtoSchema } from "@/lib/schemas/dto";
import { changeRoleSchema } from "@/lib/schemas/workspaces";
import { changeMemberRole, removeMember } from "@/lib/members/change-role";

export const PATCH = adminRoute(
  {
    summary: "Change a member's role",
    tags: ["Members"],
    access: { workspace: "members.manage" },
    body: changeRoleSchema,
    responses: { 200: memberDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) =>
    changeMemberRole({ actor, workspaceId: params.id, memberId: params.memberId, role: body.role, requestId }),
);

export const DELETE = adminRoute(
  { summary: "Remove a member", tags: ["Members"], access: { workspace: "members.manage" }, responses: { 204: null }, errors: [409] },
  ({ actor, params, requestId }) => removeMember({ actor, workspaceId: params.id, memberId: params.memberId, requestId }),
);
