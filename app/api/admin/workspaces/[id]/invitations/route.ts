// GET /api/admin/workspaces/{id}/invitations - pending invitations; POST - invite by email (link shown once)
import { adminRoute, created } from "@/lib/http/admin-route";
import { invitationDtoSchema, pageOf } from "@/lib/schemas/dto";
import { inviteMemberSchema } from "@/lib/schemas/workspaces";
import { inviteMember, listInvitations } from "@/lib/members/invitations";
import { publicUrlFor } from "@/lib/http/public-url";

export const GET = adminRoute(
  {
    summary: "Pending invitations",
    tags: ["Members"],
    access: { workspace: "members.manage" },
    responses: { 200: pageOf(invitationDtoSchema) },
  },
  async ({ actor, params }) => ({
    data: await listInvitations({ actor, workspaceId: params.id }),
    nextCursor: null,
  }),
);

export const POST = adminRoute(
  {
    summary: "Invite by email; the link is returned once",
    tags: ["Members"],
    access: { workspace: "members.manage" },
    body: inviteMemberSchema,
    responses: { 201: invitationDtoSchema },
    errors: [409],
  },
  async ({ req, actor, params, body, requestId }) => {
    const { invitation, token } = await inviteMember({ actor, workspaceId: params.id, input: body, requestId });
    return created({ ...invitation, url: publicUrlFor(req, `/invite/${token}`) });
  },
);
