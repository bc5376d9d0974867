// GET /api/admin/openapi.json - the admin API's OpenAPI 3.1 document, generated from every route's declaration
import { declaredRoute } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { buildOpenApiDocument } from "@/lib/openapi/generate";
import { ADMIN_ROUTES } from "./operations";

export const dynamic = "force-static";

export const GET = declaredRoute(
  {
    summary: "This OpenAPI document, generated from each route's declaration",
    tags: ["Meta"],
    public: true,
    responses: { 200: z.looseObject({ openapi: z.literal("3.1.0"), paths: z.record(z.string(), z.unknown()) }) },
  },
  () => Response.json(buildOpenApiDocument([...ADMIN_ROUTES, { dir: "openapi.json", module: { GET } }])),
);
