// GET /api/admin/providers/{id}/diff?from=&to= - operation-level difference between two versions
import { adminRoute } from "@/lib/http/admin-route";
import { diffDtoSchema, diffQuerySchema } from "@/lib/schemas/providers";
import { diffVersions } from "@/lib/providers/versions";

export const GET = adminRoute(
  {
    summary: "What changed between two versions (ids): added, removed and changed operations, breaking changes marked",
    tags: ["API providers"],
    access: { workspace: "integrations.read" },
    query: diffQuerySchema,
    responses: { 200: diffDtoSchema },
  },
  ({ actor, params, query }) => diffVersions({ actor, providerId: params.id, from: query.from, to: query.to }),
);
