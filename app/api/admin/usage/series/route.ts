// GET /api/admin/usage/series - cost, tokens and requests per hour or day bucket, with the top groups broken out
import { adminRoute } from "@/lib/http/admin-route";
import { usageSeriesQuerySchema, usageSeriesSchema } from "@/lib/schemas/usage";
import { usageSeries } from "@/lib/usage/report";

export const GET = adminRoute(
  {
    summary: "Cost, tokens and requests per hour or day bucket (UTC), with the top groups by cost broken out",
    tags: ["Usage"],
    access: { workspace: "usage.read" },
    query: usageSeriesQuerySchema,
    responses: { 200: usageSeriesSchema },
  },
  ({ actor, query }) => usageSeries({ actor, input: query }),
);
