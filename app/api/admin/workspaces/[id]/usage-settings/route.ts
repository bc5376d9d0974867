// GET/PATCH /api/admin/workspaces/{id}/usage-settings - how many days raw usage records are kept (rollups are kept)
import { adminRoute } from "@/lib/http/admin-route";
import { usageSettingsDtoSchema, usageSettingsSchema } from "@/lib/schemas/usage";
import { getUsageSettings, updateUsageSettings } from "@/lib/usage/retention";

export const GET = adminRoute(
  {
    summary: "The workspace's raw usage record retention",
    tags: ["Usage"],
    access: { workspace: "usage.read" },
    responses: { 200: usageSettingsDtoSchema },
  },
  ({ actor, params }) => getUsageSettings({ actor, workspaceId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Change how many days raw usage records are kept (1-3650; hourly and daily rollups are kept)",
    tags: ["Usage"],
    access: { workspace: "workspace.update" },
    body: usageSettingsSchema,
    responses: { 200: usageSettingsDtoSchema },
  },
  ({ actor, params, body, requestId }) => updateUsageSettings({ actor, workspaceId: params.id, input: body, requestId }),
);
