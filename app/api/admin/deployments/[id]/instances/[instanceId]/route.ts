// PATCH/DELETE /api/admin/deployments/{id}/instances/{instanceId} - change or remove an instance
import { adminRoute } from "@/lib/http/admin-route";
import { instanceDtoSchema, updateInstanceSchema } from "@/lib/schemas/deployments";
import { removeInstance, updateInstance } from "@/lib/deployments/instances";

export const PATCH = adminRoute(
  {
    summary: "Change an instance",
    tags: ["Deployments"],
    access: { instance: "registry.manage" },
    body: updateInstanceSchema,
    responses: { 200: instanceDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) =>
    updateInstance({ actor, deploymentId: params.id, instanceId: params.instanceId, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Remove an instance",
    tags: ["Deployments"],
    access: { instance: "registry.manage" },
    responses: { 204: null },
    errors: [409],
  },
  ({ actor, params, requestId }) => removeInstance({ actor, deploymentId: params.id, instanceId: params.instanceId, requestId }),
);
