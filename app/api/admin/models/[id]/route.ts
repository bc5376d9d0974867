// GET/PATCH/DELETE /api/admin/models/{id} - read with prices and routes, update (incl. status), delete
import { adminRoute } from "@/lib/http/admin-route";
import { deleteModelQuerySchema, updateModelSchema } from "@/lib/schemas/models";
import { getModel } from "@/lib/models/get-model";
import { updateModel } from "@/lib/models/update-model";
import { deleteModel } from "@/lib/models/delete-model";

export const GET = adminRoute({}, ({ actor, params }) => getModel({ actor, modelId: params.id }));

export const PATCH = adminRoute({ body: updateModelSchema }, ({ actor, params, body, requestId }) =>
  updateModel({ actor, modelId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute({ query: deleteModelQuerySchema }, ({ actor, params, query, requestId }) =>
  deleteModel({ actor, modelId: params.id, force: query.force === "true", requestId }),
);
