// POST /api/admin/alerts/read?workspaceId= - mark the listed alerts (or all) read
import { adminRoute } from "@/lib/http/admin-route";
import { markAlertsReadSchema, workspaceScopeQuerySchema } from "@/lib/schemas/budgets";
import { markBudgetAlertsRead } from "@/lib/budgets/alerts";

export const POST = adminRoute({ body: markAlertsReadSchema, query: workspaceScopeQuerySchema }, ({ actor, body, query }) =>
  markBudgetAlertsRead({ actor, workspaceId: query.workspaceId, input: body }),
);
