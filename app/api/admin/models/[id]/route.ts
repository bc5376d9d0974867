// GET/PATCH/DELETE /api/admin/models/{id} - read with prices and routes, update (incl. status), delete
import { adminRoute } from "@/lib/http/admin-route";
import { deleteModelQuerySchema, modelDetailDtoSchema, updateModelSchema } from "@/lib/schemas/models";
import { getModel } from "@/lib/models/get-model";
import { updateModel } from "@/lib/models/update-model";
import { deleteModel } from "@/lib/models/delete-model";

export const GET = adminRoute(
  {
    summary: "A model with its current price, price history, routes in failover order and dependents",
    tags: ["Models"],
    access: { anyWorkspace: "models.read" },
    responses: { 200: modelDetailDtoSchema },
  },
  ({ actor, params }) => getModel({ actor, modelId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Update a model's properties, context policy or status",
    tags: ["Models"],
    access: { instance: "registry.manage" },
    body: updateModelSchema,
    responses: { 200: modelDetailDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateModel({ actor, modelId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a model; refused with 409 listing its dependents unless force=true confirms removing its routes",
    tags: ["Models"],
    access: { instance: "registry.manage" },
    query: deleteModelQuerySchema,
    responses: { 204: null },
    errors: [409],
  },
  ({ actor, params, query, requestId }) => deleteModel({ actor, modelId: params.id, force: query.force === "true", requestId }),
);
