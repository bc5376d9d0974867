// GET/PATCH/DELETE /api/admin/providers/{id} - read, edit (name, title, description, global id, servers, auth schemes), delete
import { adminRoute } from "@/lib/http/admin-route";
import { providerDtoSchema, updateProviderSchema } from "@/lib/schemas/providers";
import { getProvider } from "@/lib/providers/get-provider";
import { updateProvider } from "@/lib/providers/update-provider";
import { deleteProvider } from "@/lib/providers/delete-provider";

export const GET = adminRoute(
  {
    summary: "An API provider with its current version and operation counts",
    tags: ["API providers"],
    access: { workspace: "integrations.read" },
    responses: { 200: providerDtoSchema },
  },
  ({ actor, params }) => getProvider({ actor, providerId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Edit a provider's name, title, description, servers or auth schemes; its global id can be set once",
    tags: ["API providers"],
    access: { workspace: "integrations.manage" },
    body: updateProviderSchema,
    responses: { 200: providerDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateProvider({ actor, providerId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a provider with its versions and operations",
    tags: ["API providers"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteProvider({ actor, providerId: params.id, requestId }),
);
