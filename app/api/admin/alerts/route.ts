// GET /api/admin/alerts?workspaceId= - budget alerts of a workspace, newest first, with the unread count
import { adminRoute } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { pageOf } from "@/lib/schemas/dto";
import { budgetAlertDtoSchema, budgetAlertQuerySchema } from "@/lib/schemas/budgets";
import { listBudgetAlerts } from "@/lib/budgets/alerts";

export const GET = adminRoute(
  {
    summary: "Budget alerts (50, 80, 100 % of a workspace or key budget), newest first, with the unread count",
    tags: ["Budgets"],
    access: { workspace: "budgets.read" },
    query: budgetAlertQuerySchema,
    responses: { 200: pageOf(budgetAlertDtoSchema).extend({ unread: z.number().int() }) },
  },
  ({ actor, query }) => listBudgetAlerts({ actor, query }),
);
