// POST /api/admin/catalog/providers/refresh - poll the remote catalog now (instance admins)
import { adminRoute } from "@/lib/http/admin-route";
import { catalogRefreshDtoSchema } from "@/lib/schemas/catalog-providers";
import { refreshCatalogNow } from "@/lib/catalog/providers/list-catalog";

export const POST = adminRoute(
  {
    summary: "Poll the remote catalog (SWITCHBOARD_CATALOG_URL) now, then sync the providers that follow updates",
    description:
      "The index and documents are fetched through the outbound guard. An index that cannot be fetched or read answers 400 and changes nothing; an entry whose document fails is listed in `failed`.",
    tags: ["Catalog"],
    access: { instance: "catalog.manage" },
    responses: { 200: catalogRefreshDtoSchema },
    errors: [409],
  },
  ({ actor }) => refreshCatalogNow({ actor }),
);
