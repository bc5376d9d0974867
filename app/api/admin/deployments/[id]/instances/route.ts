// POST /api/admin/deployments/{id}/instances - add an instance (probed at once, out of rotation until healthy)
import { adminRoute, created } from "@/lib/http/admin-route";
import { instanceInputSchema } from "@/lib/schemas/deployments";
import { addInstance } from "@/lib/deployments/instances";

export const POST = adminRoute({ body: instanceInputSchema }, async ({ actor, params, body, requestId }) =>
  created(await addInstance({ actor, deploymentId: params.id, input: body, requestId })),
);
