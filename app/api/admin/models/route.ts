// GET /api/admin/models - logical models (search, filter by provider/status/feature, sort by name or price)
// POST /api/admin/models - create a model with its first price and routes (instance admins)
import { adminRoute, created } from "@/lib/http/admin-route";
import { createModelSchema, modelQuerySchema } from "@/lib/schemas/models";
import { listModels } from "@/lib/models/list-models";
import { createModel } from "@/lib/models/create-model";

export const GET = adminRoute({ query: modelQuerySchema }, ({ actor, query }) => listModels({ actor, query }));

export const POST = adminRoute({ body: createModelSchema }, async ({ actor, body, requestId }) =>
  created(await createModel({ actor, input: body, requestId })),
);
