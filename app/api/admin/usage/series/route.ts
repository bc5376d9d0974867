// GET /api/admin/usage/series - cost, tokens and requests per hour or day bucket, with the top groups broken out
import { adminRoute } from "@/lib/http/admin-route";
import { usageSeriesQuerySchema } from "@/lib/schemas/usage";
import { usageSeries } from "@/lib/usage/report";

export const GET = adminRoute({ query: usageSeriesQuerySchema }, ({ actor, query }) => usageSeries({ actor, input: query }));
