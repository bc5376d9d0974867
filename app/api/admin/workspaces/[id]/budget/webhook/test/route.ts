// POST /api/admin/workspaces/{id}/budget/webhook/test - send a signed budget.test event to the alert webhook
import { adminRoute } from "@/lib/http/admin-route";
import { testAlertWebhook } from "@/lib/budgets/alert-webhook";

export const POST = adminRoute({}, ({ actor, params }) => testAlertWebhook({ actor, workspaceId: params.id }));
