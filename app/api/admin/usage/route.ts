// GET /api/admin/usage - cost report: totals per group (workspace, user, agent, model, platform, deployment, key) over a range, JSON or CSV
import { adminRoute } from "@/lib/http/admin-route";
import { usageReportQuerySchema, usageReportSchema } from "@/lib/schemas/usage";
import { usageReport } from "@/lib/usage/report";
import { usageCsv } from "@/lib/usage/csv";

export const GET = adminRoute(
  {
    summary: "Cost report: totals per group over [from, to), top-N by cost, requests or tokens; JSON, or CSV with format=csv",
    description:
      "Groups: workspace, user, agent, model, platform, deployment, key. From rollups unless a filter is on another " +
      "dimension than groupBy (then from raw records: source=records). Without workspaceId the report covers every " +
      "workspace the caller may read usage of.",
    tags: ["Usage"],
    access: { workspace: "usage.read" },
    query: usageReportQuerySchema,
    responses: {
      200: {
        description: "The report as JSON, or its rows as a CSV attachment (format=csv)",
        contentTypes: ["application/json", "text/csv"],
        schema: usageReportSchema,
      },
    },
  },
  async ({ actor, query }) => {
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
  },
);
