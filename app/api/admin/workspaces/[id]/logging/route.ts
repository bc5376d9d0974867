// GET/PATCH /api/admin/workspaces/{id}/logging - whether the gateway stores request/response bodies, and for how long
import { adminRoute } from "@/lib/http/admin-route";
import { workspaceLoggingSchema } from "@/lib/schemas/workspace-logging";
import { getLoggingSettings, updateLoggingSettings } from "@/lib/workspaces/logging-settings";

export const GET = adminRoute({}, ({ actor, params }) => getLoggingSettings({ actor, workspaceId: params.id }));

export const PATCH = adminRoute({ body: workspaceLoggingSchema }, ({ actor, params, body, requestId }) =>
  updateLoggingSettings({ actor, workspaceId: params.id, input: body, requestId }),
);
