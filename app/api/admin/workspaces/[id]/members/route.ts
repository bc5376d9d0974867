// GET /api/admin/workspaces/{id}/members - list members; POST - add a person (existing or new account)
import { adminRoute, created } from "@/lib/http/admin-route";
import { listQuerySchema } from "@/lib/schemas/zod";
import { addMemberSchema } from "@/lib/schemas/workspaces";
import { listMembers } from "@/lib/members/list-members";
import { addMember } from "@/lib/members/add-member";

export const GET = adminRoute({ query: listQuerySchema }, ({ actor, params, query }) =>
  listMembers({ actor, workspaceId: params.id, query }),
);

export const POST = adminRoute({ body: addMemberSchema }, async ({ actor, params, body, requestId }) =>
  created(await addMember({ actor, workspaceId: params.id, input: body, requestId })),
);
