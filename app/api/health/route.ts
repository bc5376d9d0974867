// GET /api/health - database status and version (served by the lean handler under the custom server;
// this route serves `next dev`).
import { healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await healthReport();
  return Response.json(report, { status: report.database.ok ? 200 : 503 });
}
