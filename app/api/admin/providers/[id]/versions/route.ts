// GET /api/admin/providers/{id}/versions - the provider's immutable versions, newest first
import { adminRoute } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { versionDtoSchema } from "@/lib/schemas/providers";
import { listVersions } from "@/lib/providers/versions";

export const GET = adminRoute(
  {
    summary: "A provider's versions, newest first (content hash, source, who, when; current marked)",
    tags: ["API providers"],
    access: { workspace: "integrations.read" },
    responses: { 200: pageOf(versionDtoSchema) },
  },
  ({ actor, params }) => listVersions({ actor, providerId: params.id }),
);
