// GET /api/admin/deployments - list deployments (search, engine filter, health summary)
// POST /api/admin/deployments - create a deployment with its instances
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { createDeploymentSchema, deploymentDetailDtoSchema, deploymentDtoSchema, deploymentQuerySchema } from "@/lib/schemas/deployments";
import { listDeployments } from "@/lib/deployments/list-deployments";
import { createDeployment } from "@/lib/deployments/create-deployment";

export const GET = adminRoute(
  {
    summary: "List self-hosted deployments with a health summary",
    tags: ["Deployments"],
    access: { anyWorkspace: "deployments.read" },
    query: deploymentQuerySchema,
    responses: { 200: pageOf(deploymentDtoSchema) },
  },
  ({ actor, query }) => listDeployments({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create a deployment with its instances",
    tags: ["Deployments"],
    access: { instance: "registry.manage" },
    body: createDeploymentSchema,
    responses: { 201: deploymentDetailDtoSchema },
    errors: [409],
  },
  async ({ actor, body, requestId }) => created(await createDeployment({ actor, input: body, requestId })),
);
