// GET /api/admin/catalog/models - the bundled, dated price catalog (read-only)
import { adminRoute } from "@/lib/http/admin-route";
import { catalogQuerySchema } from "@/lib/schemas/models";
import { listCatalogModels } from "@/lib/models/list-catalog";

export const GET = adminRoute({ query: catalogQuerySchema }, ({ actor, query }) => listCatalogModels({ actor, query }));
