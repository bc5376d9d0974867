// GET/PATCH/DELETE /api/admin/deployments/{id} - read with instances, change settings, delete if no model routes to it
import { adminRoute } from "@/lib/http/admin-route";
import { deploymentDetailDtoSchema, updateDeploymentSchema } from "@/lib/schemas/deployments";
import { getDeployment } from "@/lib/deployments/list-deployments";
import { updateDeployment } from "@/lib/deployments/update-deployment";
import { deleteDeployment } from "@/lib/deployments/delete-deployment";

export const GET = adminRoute(
  {
    summary: "Get a deployment with its instances' health",
    tags: ["Deployments"],
    access: { anyWorkspace: "deployments.read" },
    responses: { 200: deploymentDetailDtoSchema },
  },
  ({ actor, params }) => getDeployment({ actor, deploymentId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Change a deployment's settings",
    tags: ["Deployments"],
    access: { instance: "registry.manage" },
    body: updateDeploymentSchema,
    responses: { 200: deploymentDetailDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateDeployment({ actor, deploymentId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a deployment (refused while a model routes to it)",
    tags: ["Deployments"],
    access: { instance: "registry.manage" },
    responses: { 204: null },
    errors: [409],
  },
  ({ actor, params, requestId }) => deleteDeployment({ actor, deploymentId: params.id, requestId }),
);
