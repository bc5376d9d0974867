// GET /api/admin/models - logical models (search, filter by provider/status/feature, sort by name or price)
// POST /api/admin/models - create a model with its first price and routes (instance admins)
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { createModelSchema, modelDetailDtoSchema, modelDtoSchema, modelQuerySchema } from "@/lib/schemas/models";
import { listModels } from "@/lib/models/list-models";
import { createModel } from "@/lib/models/create-model";

export const GET = adminRoute(
  {
    summary: "List logical models (q, provider, status, feature; sort by name or current input/output price)",
    tags: ["Models"],
    access: { anyWorkspace: "models.read" },
    query: modelQuerySchema,
    responses: { 200: pageOf(modelDtoSchema) },
  },
  ({ actor, query }) => listModels({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create a model with its first price (effective now unless given) and routes",
    tags: ["Models"],
    access: { instance: "registry.manage" },
    body: createModelSchema,
    responses: { 201: modelDetailDtoSchema },
    errors: [409],
  },
  async ({ actor, body, requestId }) => created(await createModel({ actor, input: body, requestId })),
);
