// GET /api/admin/providers?workspaceId= - a workspace's API providers; POST - import one from a document's text or URL
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { createProviderSchema, providerDtoSchema, providerQuerySchema, providerScopeQuerySchema } from "@/lib/schemas/providers";
import { listProviders } from "@/lib/providers/list-providers";
import { createProvider } from "@/lib/providers/import-provider";
import { PROVIDER_BODY_BYTES } from "@/lib/providers/load-document";

export const GET = adminRoute(
  {
    summary: "A workspace's API providers (search by name, title or global id)",
    tags: ["API providers"],
    access: { workspace: "integrations.read" },
    query: providerQuerySchema,
    responses: { 200: pageOf(providerDtoSchema) },
  },
  ({ actor, query }) => listProviders({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Import an API provider from an OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1): its text (JSON or YAML) or a URL",
    description:
      "The document is validated and read completely before anything is stored: a failure stores nothing and answers the problems with their place in the document. External $refs are fetched through the outbound guard; local files are never read.",
    tags: ["API providers"],
    access: { workspace: "integrations.manage" },
    query: providerScopeQuerySchema,
    body: createProviderSchema,
    maxBodyBytes: PROVIDER_BODY_BYTES,
    responses: { 201: providerDtoSchema },
    errors: [409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createProvider({ actor, workspaceId: query.workspaceId, input: body, requestId })),
);
