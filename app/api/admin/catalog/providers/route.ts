// GET /api/admin/catalog/providers - the central repository of API providers (read-only, every signed-in role)
import { adminRoute } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { catalogProviderDtoSchema, catalogProviderQuerySchema } from "@/lib/schemas/catalog-providers";
import { listCatalogProviders } from "@/lib/catalog/providers/list-catalog";

export const GET = adminRoute(
  {
    summary: "The central repository: curated API providers shipped with the app or fed by the remote catalog (search q, filter category)",
    tags: ["Catalog"],
    access: { anyWorkspace: "catalog.read" },
    query: catalogProviderQuerySchema,
    responses: { 200: pageOf(catalogProviderDtoSchema) },
  },
  ({ actor, query }) => listCatalogProviders({ actor, query }),
);
