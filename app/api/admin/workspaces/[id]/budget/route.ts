// GET/PATCH /api/admin/workspaces/{id}/budget - the workspace budget with month-to-date spend; set amount and action
import { adminRoute } from "@/lib/http/admin-route";
import { budgetStatusDtoSchema, updateWorkspaceBudgetSchema } from "@/lib/schemas/budgets";
import { getBudgetStatus } from "@/lib/budgets/budget-status";
import { updateWorkspaceBudget } from "@/lib/budgets/update-budget";

export const GET = adminRoute(
  {
    summary: "The workspace's monthly budget, month-to-date spend (workspace and keys with a budget) and alert webhook (never its secret)",
    tags: ["Budgets"],
    access: { workspace: "budgets.read" },
    responses: { 200: budgetStatusDtoSchema },
  },
  ({ actor, params }) => getBudgetStatus({ actor, workspaceId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Set the workspace's monthly budget (null clears) and what happens at 100 %: notify, or block gateway calls",
    tags: ["Budgets"],
    access: { workspace: "budgets.manage" },
    body: updateWorkspaceBudgetSchema,
    responses: { 200: budgetStatusDtoSchema },
  },
  async ({ actor, params, body, requestId }) => {
    await updateWorkspaceBudget({ actor, workspaceId: params.id, input: body, requestId });
    return getBudgetStatus({ actor, workspaceId: params.id });
  },
);
