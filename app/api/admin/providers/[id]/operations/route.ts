// GET /api/admin/providers/{id}/operations - the provider's operations with their tool definitions
import { adminRoute } from "@/lib/http/admin-route";
import { operationPageSchema, operationQuerySchema } from "@/lib/schemas/providers";
import { listOperations } from "@/lib/providers/list-operations";

export const GET = adminRoute(
  {
    summary: "A provider's operations in document order, each with its tool definition; search by text (q), tag, method, enabled",
    tags: ["API providers"],
    access: { workspace: "integrations.read" },
    query: operationQuerySchema,
    responses: { 200: operationPageSchema },
  },
  ({ actor, params, query }) => listOperations({ actor, providerId: params.id, query }),
);
