// GET /api/admin/deployments - list deployments (search, engine filter, health summary)
// POST /api/admin/deployments - create a deployment with its instances
import { adminRoute, created } from "@/lib/http/admin-route";
import { createDeploymentSchema, deploymentQuerySchema } from "@/lib/schemas/deployments";
import { listDeployments } from "@/lib/deployments/list-deployments";
import { createDeployment } from "@/lib/deployments/create-deployment";

export const GET = adminRoute({ query: deploymentQuerySchema }, ({ actor, query }) => listDeployments({ actor, query }));

export const POST = adminRoute({ body: createDeploymentSchema }, async ({ actor, body, requestId }) =>
  created(await createDeployment({ actor, input: body, requestId })),
);
