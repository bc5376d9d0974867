// PUT /api/admin/models/{id}/routes - replace the model's routes (failover chain) in one transaction
import { adminRoute } from "@/lib/http/admin-route";
import { setRoutesSchema } from "@/lib/schemas/models";
import { setRoutes } from "@/lib/models/set-routes";

export const PUT = adminRoute({ body: setRoutesSchema }, async ({ actor, params, body, requestId }) => ({
  data: await setRoutes({ actor, modelId: params.id, input: body, requestId }),
  nextCursor: null,
}));
