// PATCH/DELETE /api/admin/deployments/{id}/instances/{instanceId} - change or remove an instance
import { adminRoute } from "@/lib/http/admin-route";
import { updateInstanceSchema } from "@/lib/schemas/deployments";
import { removeInstance, updateInstance } from "@/lib/deployments/instances";

export const PATCH = adminRoute({ body: updateInstanceSchema }, ({ actor, params, body, requestId }) =>
  updateInstance({ actor, deploymentId: params.id, instanceId: params.instanceId, input: body, requestId }),
);

export const DELETE = adminRoute({}, ({ actor, params, requestId }) =>
  removeInstance({ actor, deploymentId: params.id, instanceId: params.instanceId, requestId }),
);
