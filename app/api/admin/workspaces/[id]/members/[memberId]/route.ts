// PATCH /api/admin/workspaces/{id}/members/{memberId} - change role; DELETE - remove from the workspace
import { adminRoute } from "@/lib/http/admin-route";
import { changeRoleSchema } from "@/lib/schemas/workspaces";
import { changeMemberRole, removeMember } from "@/lib/members/change-role";

export const PATCH = adminRoute({ body: changeRoleSchema }, ({ actor, params, body, requestId }) =>
  changeMemberRole({ actor, workspaceId: params.id, memberId: params.memberId, role: body.role, requestId }),
);

export const DELETE = adminRoute({}, ({ actor, params, requestId }) =>
  removeMember({ actor, workspaceId: params.id, memberId: params.memberId, requestId }),
);
