// PATCH /api/admin/mcp-servers/{id}/tools/{name} - switch a tool on or off
import { adminRoute } from "@/lib/http/admin-route";
import { mcpToolDtoSchema, mcpToolParamsSchema, updateMcpToolSchema } from "@/lib/schemas/mcp";
import { setMcpToolEnabled } from "@/lib/mcp/tools";

export const PATCH = adminRoute(
  {
    summary: "Switch a tool on or off (a tool switched off cannot be called; the setting survives refreshes)",
    tags: ["MCP servers"],
    access: { workspace: "integrations.manage" },
    params: mcpToolParamsSchema,
    body: updateMcpToolSchema,
    responses: { 200: mcpToolDtoSchema },
  },
  ({ actor, params, body, requestId }) =>
    setMcpToolEnabled({ actor, serverId: params.id, name: params.name, enabled: body.enabled, requestId }),
);
