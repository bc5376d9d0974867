// GET/PATCH /api/admin/workspaces/{id}/usage-settings - how many days raw usage records are kept (rollups are kept)
import { adminRoute } from "@/lib/http/admin-route";
import { usageSettingsSchema } from "@/lib/schemas/usage";
import { getUsageSettings, updateUsageSettings } from "@/lib/usage/retention";

export const GET = adminRoute({}, ({ actor, params }) => getUsageSettings({ actor, workspaceId: params.id }));

export const PATCH = adminRoute({ body: usageSettingsSchema }, ({ actor, params, body, requestId }) =>
  updateUsageSettings({ actor, workspaceId: params.id, input: body, requestId }),
);
