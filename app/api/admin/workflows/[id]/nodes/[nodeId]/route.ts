// PATCH/DELETE /api/admin/workflows/{id}/nodes/{nodeId} - rename or move a node; delete it
import { adminRoute } from "@/lib/http/admin-route";
import { nodeDtoSchema, updateNodeSchema } from "@/lib/schemas/agents";
import { deleteNode, updateNode } from "@/lib/agents/nodes";

export const PATCH = adminRoute(
  {
    summary: "Rename a node or move it to another position (the others shift)",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    body: updateNodeSchema,
    responses: { 200: nodeDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateNode({ actor, workflowId: params.id, nodeId: params.nodeId, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a node with its connector assignments (the nodes after it move up)",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteNode({ actor, workflowId: params.id, nodeId: params.nodeId, requestId }),
);
