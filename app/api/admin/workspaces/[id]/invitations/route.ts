// GET /api/admin/workspaces/{id}/invitations - pending invitations; POST - invite by email (link shown once)
import { adminRoute, created } from "@/lib/http/admin-route";
import { inviteMemberSchema } from "@/lib/schemas/workspaces";
import { inviteMember, listInvitations } from "@/lib/members/invitations";
import { publicUrlFor } from "@/lib/http/public-url";

export const GET = adminRoute({}, async ({ actor, params }) => ({
  data: await listInvitations({ actor, workspaceId: params.id }),
  nextCursor: null,
}));

export const POST = adminRoute({ body: inviteMemberSchema }, async ({ req, actor, params, body, requestId }) => {
  const { invitation, token } = await inviteMember({ actor, workspaceId: params.id, input: body, requestId });
  return created({ ...invitation, url: publicUrlFor(req, `/invite/${token}`) });
});
