// POST /api/admin/providers/{id}/sync - a new version from the latest of the provider's central repository entry
import { adminRoute } from "@/lib/http/admin-route";
import { providerImportDtoSchema } from "@/lib/schemas/providers";
import { syncProvider } from "@/lib/catalog/providers/sync-provider";

export const POST = adminRoute(
  {
    summary: "Sync a provider from its central repository entry: a new version (source catalog) unless it is already the latest",
    tags: ["API providers"],
    access: { workspace: "integrations.manage" },
    responses: { 200: providerImportDtoSchema },
  },
  ({ actor, params, requestId }) => syncProvider({ actor, providerId: params.id, requestId }),
);
