// POST /api/admin/alerts/read?workspaceId= - mark the listed alerts (or all) read
import { adminRoute } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { markAlertsReadSchema, workspaceScopeQuerySchema } from "@/lib/schemas/budgets";
import { markBudgetAlertsRead } from "@/lib/budgets/alerts";

export const POST = adminRoute(
  {
    summary: "Mark the listed alerts, or all of the workspace's, read",
    tags: ["Budgets"],
    access: { workspace: "budgets.read" },
    query: workspaceScopeQuerySchema,
    body: markAlertsReadSchema,
    responses: { 200: z.object({ unread: z.number().int() }) },
  },
  ({ actor, body, query }) => markBudgetAlertsRead({ actor, workspaceId: query.workspaceId, input: body }),
);
