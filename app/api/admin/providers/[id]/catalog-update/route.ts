// GET /api/admin/providers/{id}/catalog-update - what syncing from the central repository would change
import { adminRoute } from "@/lib/http/admin-route";
import { catalogUpdateDtoSchema } from "@/lib/schemas/providers";
import { catalogUpdate } from "@/lib/catalog/providers/sync-provider";

export const GET = adminRoute(
  {
    summary: "The operation-level diff from a catalog-synced provider's current version to its catalog entry's latest version",
    tags: ["API providers"],
    access: { workspace: "integrations.read" },
    responses: { 200: catalogUpdateDtoSchema },
  },
  ({ actor, params }) => catalogUpdate({ actor, providerId: params.id }),
);
