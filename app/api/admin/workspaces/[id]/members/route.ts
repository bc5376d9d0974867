// GET /api/admin/workspaces/{id}/members - list members; POST - add a person (existing or new account)
import { adminRoute, created } from "@/lib/http/admin-route";
import { listQuerySchema } from "@/lib/schemas/zod";
import { memberDtoSchema, pageOf } from "@/lib/schemas/dto";
import { addMemberSchema } from "@/lib/schemas/workspaces";
import { listMembers } from "@/lib/members/list-members";
import { addMember } from "@/lib/members/add-member";

export const GET = adminRoute(
  {
    summary: "List members",
    tags: ["Members"],
    access: { workspace: "members.read" },
    query: listQuerySchema,
    responses: { 200: pageOf(memberDtoSchema) },
  },
  ({ actor, params, query }) => listMembers({ actor, workspaceId: params.id, query }),
);

export const POST = adminRoute(
  {
    summary: "Add a member (existing account, or a new one with name and password)",
    tags: ["Members"],
    access: { workspace: "members.manage" },
    body: addMemberSchema,
    responses: { 201: memberDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) => created(await addMember({ actor, workspaceId: params.id, input: body, requestId })),
);
