// POST /api/admin/deployments/{id}/check - probe the instances (or one) now
import { adminRoute } from "@/lib/http/admin-route";
import { checkNowSchema } from "@/lib/schemas/deployments";
import { checkDeploymentNow } from "@/lib/deployments/health-check";

export const POST = adminRoute({ body: checkNowSchema }, ({ actor, params, body }) =>
  checkDeploymentNow({ actor, deploymentId: params.id, instanceId: body.instanceId }),
);
