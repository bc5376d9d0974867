// GET /api/admin/workflows/{id}/nodes/{nodeId}/tools - the tool list GET /api/v1/tools answers for a workflow node (a preview for the console)
import { adminRoute } from "@/lib/http/admin-route";
import { toolListSchema } from "@/lib/schemas/agents";
import { previewTools } from "@/lib/agents/preview-tools";

export const GET = adminRoute(
  {
    summary: "The tools available at a workflow node, in OpenAI's tools format (what GET /api/v1/tools answers)",
    tags: ["Workflows"],
    access: { workspace: "integrations.read" },
    responses: { 200: toolListSchema },
  },
  ({ actor, params }) => previewTools({ actor, target: { type: "node", workflowId: params.id, nodeId: params.nodeId } }),
);
