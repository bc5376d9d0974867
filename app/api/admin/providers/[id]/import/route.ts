// POST /api/admin/providers/{id}/import - a new version of the provider from a document's text or URL
import { adminRoute } from "@/lib/http/admin-route";
import { importProviderSchema, providerImportDtoSchema } from "@/lib/schemas/providers";
import { importProviderVersion } from "@/lib/providers/import-provider";
import { PROVIDER_BODY_BYTES } from "@/lib/providers/load-document";

export const POST = adminRoute(
  {
    summary: "Re-import a provider: a new immutable version, unless the document is identical to the current one (versionCreated: false)",
    tags: ["API providers"],
    access: { workspace: "integrations.manage" },
    body: importProviderSchema,
    maxBodyBytes: PROVIDER_BODY_BYTES,
    responses: { 200: providerImportDtoSchema },
  },
  ({ actor, params, body, requestId }) => importProviderVersion({ actor, providerId: params.id, input: body, requestId }),
);
