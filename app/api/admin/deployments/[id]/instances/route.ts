// POST /api/admin/deployments/{id}/instances - add an instance (probed at once, out of rotation until healthy)
import { adminRoute, created } from "@/lib/http/admin-route";
import { instanceDtoSchema, instanceInputSchema } from "@/lib/schemas/deployments";
import { addInstance } from "@/lib/deployments/instances";

export const POST = adminRoute(
  {
    summary: "Add an instance (probed at once, out of rotation until healthy)",
    tags: ["Deployments"],
    access: { instance: "registry.manage" },
    body: instanceInputSchema,
    responses: { 201: instanceDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) => created(await addInstance({ actor, deploymentId: params.id, input: body, requestId })),
);
