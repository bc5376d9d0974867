// GET /api/admin/alerts?workspaceId= - budget alerts of a workspace, newest first, with the unread count
import { adminRoute } from "@/lib/http/admin-route";
import { budgetAlertQuerySchema } from "@/lib/schemas/budgets";
import { listBudgetAlerts } from "@/lib/budgets/alerts";

export const GET = adminRoute({ query: budgetAlertQuerySchema }, ({ actor, query }) => listBudgetAlerts({ actor, query }));
