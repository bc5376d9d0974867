// GET /api/admin/catalog/providers/{id} - one entry of the central repository
import { adminRoute } from "@/lib/http/admin-route";
import { catalogProviderDetailSchema } from "@/lib/schemas/catalog-providers";
import { getCatalogProvider } from "@/lib/catalog/providers/list-catalog";

export const GET = adminRoute(
  {
    summary: "An entry of the central repository with its version, auth, OAuth endpoints and operation counts",
    tags: ["Catalog"],
    access: { anyWorkspace: "catalog.read" },
    responses: { 200: catalogProviderDetailSchema },
  },
  ({ actor, params }) => getCatalogProvider({ actor, id: params.id }),
);
