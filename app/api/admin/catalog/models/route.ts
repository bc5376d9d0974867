// GET /api/admin/catalog/models - the bundled, dated price catalog (read-only)
import { adminRoute } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { pageOf } from "@/lib/schemas/dto";
import { catalogEntryDtoSchema, catalogQuerySchema } from "@/lib/schemas/models";
import { listCatalogModels } from "@/lib/models/list-catalog";

export const GET = adminRoute(
  {
    summary: "The bundled price catalog: public list prices (USD per million tokens), context windows and features, dated by catalogDate",
    tags: ["Catalog"],
    access: { anyWorkspace: "catalog.read" },
    query: catalogQuerySchema,
    responses: { 200: pageOf(catalogEntryDtoSchema).extend({ catalogDate: z.string() }) },
  },
  ({ actor, query }) => listCatalogModels({ actor, query }),
);
