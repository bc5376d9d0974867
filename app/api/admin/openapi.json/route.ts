// GET /api/admin/openapi.json - the admin API's OpenAPI 3.1 document, generated from the zod schemas
import { buildOpenApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-static";

export function GET() {
  return Response.json(buildOpenApiDocument());
}
