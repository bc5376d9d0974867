// PUT /api/admin/models/{id}/routes - replace the model's routes (failover chain) in one transaction
import { adminRoute } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { routeDtoSchema, setRoutesSchema } from "@/lib/schemas/models";
import { setRoutes } from "@/lib/models/set-routes";

export const PUT = adminRoute(
  {
    summary: "Replace the model's routes (failover chain) in one transaction",
    tags: ["Models"],
    access: { instance: "registry.manage" },
    body: setRoutesSchema,
    responses: { 200: pageOf(routeDtoSchema) },
  },
  async ({ actor, params, body, requestId }) => ({
    data: await setRoutes({ actor, modelId: params.id, input: body, requestId }),
    nextCursor: null,
  }),
);
