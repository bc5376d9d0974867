// GET/PATCH /api/admin/workspaces/{id}/logging - whether the gateway stores request/response bodies, and for how long
import { adminRoute } from "@/lib/http/admin-route";
import { workspaceLoggingDtoSchema, workspaceLoggingSchema } from "@/lib/schemas/workspace-logging";
import { getLoggingSettings, updateLoggingSettings } from "@/lib/workspaces/logging-settings";

export const GET = adminRoute(
  {
    summary: "Whether the gateway stores request and response bodies for this workspace, and for how many days",
    tags: ["Workspaces"],
    access: { workspace: "usage.read" },
    responses: { 200: workspaceLoggingDtoSchema },
  },
  ({ actor, params }) => getLoggingSettings({ actor, workspaceId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Turn body storage on or off and set its retention (1 to 365 days)",
    tags: ["Workspaces"],
    access: { workspace: "workspace.update" },
    body: workspaceLoggingSchema,
    responses: { 200: workspaceLoggingDtoSchema },
  },
  ({ actor, params, body, requestId }) => updateLoggingSettings({ actor, workspaceId: params.id, input: body, requestId }),
);
