// GET /api/admin/workspaces - workspaces the caller can see; POST - create one (instance admins)
import { adminRoute, created } from "@/lib/http/admin-route";
import { listQuerySchema } from "@/lib/schemas/zod";
import { createWorkspaceSchema } from "@/lib/schemas/workspaces";
import { listWorkspaces } from "@/lib/workspaces/list-workspaces";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

export const GET = adminRoute({ query: listQuerySchema }, ({ actor, query }) => listWorkspaces({ actor, query }));

export const POST = adminRoute({ body: createWorkspaceSchema }, async ({ actor, body, requestId }) =>
  created(await createWorkspace({ actor, input: body, requestId })),
);
