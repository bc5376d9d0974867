// POST /api/admin/deployments/{id}/check - probe the instances (or one) now
import { adminRoute } from "@/lib/http/admin-route";
import { checkNowSchema, deploymentDetailDtoSchema } from "@/lib/schemas/deployments";
import { checkDeploymentNow } from "@/lib/deployments/health-check";

export const POST = adminRoute(
  {
    summary: "Probe the instances (or one) now",
    tags: ["Deployments"],
    access: { instance: "registry.manage" },
    body: checkNowSchema,
    responses: { 200: deploymentDetailDtoSchema },
  },
  ({ actor, params, body }) => checkDeploymentNow({ actor, deploymentId: params.id, instanceId: body.instanceId }),
);
