// GET/PATCH /api/admin/workspaces/{id}/budget - the workspace budget with month-to-date spend; set amount and action
import { adminRoute } from "@/lib/http/admin-route";
import { updateWorkspaceBudgetSchema } from "@/lib/schemas/budgets";
import { getBudgetStatus } from "@/lib/budgets/budget-status";
import { updateWorkspaceBudget } from "@/lib/budgets/update-budget";

export const GET = adminRoute({}, ({ actor, params }) => getBudgetStatus({ actor, workspaceId: params.id }));

export const PATCH = adminRoute({ body: updateWorkspaceBudgetSchema }, async ({ actor, params, body, requestId }) => {
  await updateWorkspaceBudget({ actor, workspaceId: params.id, input: body, requestId });
  return getBudgetStatus({ actor, workspaceId: params.id });
});
