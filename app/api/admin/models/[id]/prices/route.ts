// GET /api/admin/models/{id}/prices - price history, newest first
// POST /api/admin/models/{id}/prices - add a price effective from a date (the old one is kept)
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { addPriceSchema, priceDtoSchema } from "@/lib/schemas/models";
import { addPrice, listPrices } from "@/lib/models/add-price";

export const GET = adminRoute(
  {
    summary: "Price history, newest first",
    tags: ["Models"],
    access: { anyWorkspace: "models.read" },
    responses: { 200: pageOf(priceDtoSchema) },
  },
  ({ actor, params }) => listPrices({ actor, modelId: params.id }),
);

export const POST = adminRoute(
  {
    summary: "Add a price effective from a date (default now); earlier prices are kept for billing",
    tags: ["Models"],
    access: { instance: "registry.manage" },
    body: addPriceSchema,
    responses: { 201: priceDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) => created(await addPrice({ actor, modelId: params.id, input: body, requestId })),
);
