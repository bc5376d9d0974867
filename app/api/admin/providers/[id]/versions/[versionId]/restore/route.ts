// POST /api/admin/providers/{id}/versions/{versionId}/restore - make an earlier version current again
import { adminRoute } from "@/lib/http/admin-route";
import { providerImportDtoSchema } from "@/lib/schemas/providers";
import { restoreVersion } from "@/lib/providers/versions";

export const POST = adminRoute(
  {
    summary: "Restore an earlier version: a new version copying it becomes current (history is never rewritten)",
    tags: ["API providers"],
    access: { workspace: "integrations.manage" },
    responses: { 200: providerImportDtoSchema },
  },
  ({ actor, params, requestId }) => restoreVersion({ actor, providerId: params.id, versionId: params.versionId, requestId }),
);
