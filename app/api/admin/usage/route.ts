// GET /api/admin/usage - cost report: totals per group (workspace, user, agent, model, platform, deployment, key) over a range, JSON or CSV
import { adminRoute } from "@/lib/http/admin-route";
import { usageReportQuerySchema } from "@/lib/schemas/usage";
import { usageReport } from "@/lib/usage/report";
import { usageCsv } from "@/lib/usage/csv";

export const GET = adminRoute({ query: usageReportQuerySchema }, async ({ actor, query }) => {
  const report = await usageReport({ actor, input: query });
  if (query.format !== "csv") return report;
  const name = `usage-by-${report.groupBy}-${report.from.slice(0, 13)}-${report.to.slice(0, 13)}.csv`.replace(/:/g, "");
  return new Response(usageCsv(report.data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      "x-usage-source": report.source,
    },
  });
});
