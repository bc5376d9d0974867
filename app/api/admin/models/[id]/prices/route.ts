// GET /api/admin/models/{id}/prices - price history, newest first
// POST /api/admin/models/{id}/prices - add a price effective from a date (the old one is kept)
import { adminRoute, created } from "@/lib/http/admin-route";
import { addPriceSchema } from "@/lib/schemas/models";
import { addPrice, listPrices } from "@/lib/models/add-price";

export const GET = adminRoute({}, ({ actor, params }) => listPrices({ actor, modelId: params.id }));

export const POST = adminRoute({ body: addPriceSchema }, async ({ actor, params, body, requestId }) =>
  created(await addPrice({ actor, modelId: params.id, input: body, requestId })),
);
