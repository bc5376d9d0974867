// GET/PATCH/DELETE /api/admin/deployments/{id} - read with instances, change settings, delete if no model routes to it
import { adminRoute } from "@/lib/http/admin-route";
import { updateDeploymentSchema } from "@/lib/schemas/deployments";
import { getDeployment } from "@/lib/deployments/list-deployments";
import { updateDeployment } from "@/lib/deployments/update-deployment";
import { deleteDeployment } from "@/lib/deployments/delete-deployment";

export const GET = adminRoute({}, ({ actor, params }) => getDeployment({ actor, deploymentId: params.id }));

export const PATCH = adminRoute({ body: updateDeploymentSchema }, ({ actor, params, body, requestId }) =>
  updateDeployment({ actor, deploymentId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute({}, ({ actor, params, requestId }) => deleteDeployment({ actor, deploymentId: params.id, requestId }));
