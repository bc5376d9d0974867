// GET/PATCH/DELETE /api/admin/workspaces/{id} - read, rename or describe, delete a workspace
import { adminRoute } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { workspaceDtoSchema } from "@/lib/schemas/dto";
import { updateWorkspaceSchema } from "@/lib/schemas/workspaces";
import { getWorkspace } from "@/lib/workspaces/get-workspace";
import { updateWorkspace } from "@/lib/workspaces/update-workspace";
import { deleteWorkspace } from "@/lib/workspaces/delete-workspace";

export const GET = adminRoute(
  {
    summary: "Get a workspace by id or slug",
    tags: ["Workspaces"],
    access: { workspace: "workspace.read" },
    params: z.object({ id: z.string().describe("The workspace's id or slug") }),
    responses: { 200: workspaceDtoSchema },
  },
  ({ actor, params }) => getWorkspace({ actor, idOrSlug: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Rename or describe a workspace",
    tags: ["Workspaces"],
    access: { workspace: "workspace.update" },
    body: updateWorkspaceSchema,
    responses: { 200: workspaceDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateWorkspace({ actor, workspaceId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a workspace and everything in it",
    description: "Needs the Admin role in the workspace and instance admin rights (workspaces.create).",
    tags: ["Workspaces"],
    access: { workspace: "workspace.delete" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteWorkspace({ actor, workspaceId: params.id, requestId }),
);
