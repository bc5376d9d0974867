// GET/PATCH/DELETE /api/admin/workspaces/{id} - read, rename or describe, delete a workspace
import { adminRoute } from "@/lib/http/admin-route";
import { updateWorkspaceSchema } from "@/lib/schemas/workspaces";
import { getWorkspace } from "@/lib/workspaces/get-workspace";
import { updateWorkspace } from "@/lib/workspaces/update-workspace";
import { deleteWorkspace } from "@/lib/workspaces/delete-workspace";

export const GET = adminRoute({}, ({ actor, params }) => getWorkspace({ actor, idOrSlug: params.id }));

export const PATCH = adminRoute({ body: updateWorkspaceSchema }, ({ actor, params, body, requestId }) =>
  updateWorkspace({ actor, workspaceId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute({}, ({ actor, params, requestId }) => deleteWorkspace({ actor, workspaceId: params.id, requestId }));
