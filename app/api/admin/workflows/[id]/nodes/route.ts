// GET/POST /api/admin/workflows/{id}/nodes - a workflow's nodes in order; add one (at the end or at a position)
import { adminRoute, created } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { createNodeSchema, nodeDtoSchema } from "@/lib/schemas/agents";
import { createNode, listNodes } from "@/lib/agents/nodes";

export const GET = adminRoute(
  {
    summary: "A workflow's nodes in order",
    tags: ["Workflows"],
    access: { workspace: "integrations.read" },
    responses: { 200: z.object({ data: z.array(nodeDtoSchema), nextCursor: z.null() }) },
  },
  ({ actor, params }) => listNodes({ actor, workflowId: params.id }),
);

export const POST = adminRoute(
  {
    summary: "Add a node to a workflow (names are unique in the workflow; position is 0-based, at the end when left out)",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    body: createNodeSchema,
    responses: { 201: nodeDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) => created(await createNode({ actor, workflowId: params.id, input: body, requestId })),
);
