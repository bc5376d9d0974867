// DELETE /api/admin/workspaces/{id}/invitations/{invitationId} - revoke a pending invitation
import { adminRoute } from "@/lib/http/admin-route";
import { revokeInvitation } from "@/lib/members/invitations";

export const DELETE = adminRoute(
  { summary: "Revoke an invitation", tags: ["Members"], access: { workspace: "members.manage" }, responses: { 204: null } },
  ({ actor, params, requestId }) => revokeInvitation({ actor, workspaceId: params.id, invitationId: params.invitationId, requestId }),
);
