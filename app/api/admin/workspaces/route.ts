// GET /api/admin/workspaces - workspaces the caller can see; POST - create one (instance admins)
import { adminRoute, created } from "@/lib/http/admin-route";
import { listQuerySchema } from "@/lib/schemas/zod";
import { pageOf, workspaceDtoSchema } from "@/lib/schemas/dto";
import { createWorkspaceSchema } from "@/lib/schemas/workspaces";
import { listWorkspaces } from "@/lib/workspaces/list-workspaces";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

export const GET = adminRoute(
  {
    summary: "List workspaces the caller can see (with the caller's role and member count)",
    tags: ["Workspaces"],
    access: { signedIn: true },
    query: listQuerySchema,
    responses: { 200: pageOf(workspaceDtoSchema) },
  },
  ({ actor, query }) => listWorkspaces({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create a workspace",
    tags: ["Workspaces"],
    access: { instance: "workspaces.create" },
    body: createWorkspaceSchema,
    responses: { 201: workspaceDtoSchema },
    errors: [409],
  },
  async ({ actor, body, requestId }) => created(await createWorkspace({ actor, input: body, requestId })),
);
