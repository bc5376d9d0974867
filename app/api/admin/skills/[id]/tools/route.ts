// GET /api/admin/skills/{id}/tools - the tool list GET /api/v1/tools answers for a skill (a preview for the console)
import { adminRoute } from "@/lib/http/admin-route";
import { toolListSchema } from "@/lib/schemas/agents";
import { previewTools } from "@/lib/agents/preview-tools";

export const GET = adminRoute(
  {
    summary: "The tools available at a skill, in OpenAI's tools format (what GET /api/v1/tools answers)",
    tags: ["Skills"],
    access: { workspace: "integrations.read" },
    responses: { 200: toolListSchema },
  },
  ({ actor, params }) => previewTools({ actor, target: { type: "skill", skillId: params.id } }),
);
