import { db } from "../db/client";
import type { Tx } from "../db/types";
import { actorId, requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { conflict } from "../errors";
import type { AgentDto, AgentKind, CreateAgentInput, CreateTargetInput } from "../schemas/agents";
import { applyDeliverySettingsIn } from "../webhooks/target-delivery";
import { agentSelect, agentTable, toAgentDto } from "./agent-table";
import { getAgentIn } from "./get-agent";

export const nameTaken = (kind: AgentKind) => conflict(`A ${kind} with this name already exists in this workspace`, "name");

/** Creates a worker, workflow or skill inside `tx` (the caller has checked the actor may): name clash, write, audit. */
export async function createAgentIn(
  tx: Tx,
  opts: { actor: Actor; kind: AgentKind; workspaceId: string; input: CreateAgentInput; source?: "console" | "config"; requestId?: string },
): Promise<AgentDto> {
  const { actor, kind, workspaceId, input } = opts;
  const table = agentTable(tx, kind);
  const clash = await table.findFirst({
    where: { workspaceId, name: { equals: input.name, mode: "insensitive" } },
    select: agentSelect,
  });
  if (clash) throw nameTaken(kind);
  // registry-neutral: workers, workflows and skills are not in the gateway's routing snapshot
  const row = await table.create({
    data: {
      workspaceId,
      name: input.name,
      description: input.description ?? "",
      source: opts.source ?? "console",
      createdById: actorId(actor),
    },
    select: agentSelect,
  });
  await recordAudit(tx, {
    actor,
    action: `${kind}.create`,
    targetType: kind,
    targetId: row.id,
    targetLabel: row.name,
    workspaceId,
    changes: { name: { from: null, to: row.name }, ...(row.description ? { description: { from: null, to: row.description } } : {}) },
    requestId: opts.requestId,
  });
  return toAgentDto(kind, row, {
    connectorCount: 0,
    ...(kind === "workflow" ? { nodes: [] } : {}),
    ...(kind !== "skill" ? { delivery: { url: null, internal: false, secretSet: false, secretMask: null } } : {}),
  });
}

/**
 * Creates a worker, workflow or skill in a workspace (names are unique per workspace and kind, any case). A worker
 * or workflow created with a delivery URL gets a generated signing secret, returned this once as `deliverySecret`.
 */
export async function createAgent(opts: {
  actor: Actor;
  kind: AgentKind;
  workspaceId: string;
  input: CreateAgentInput | CreateTargetInput;
  source?: "console" | "config";
  requestId?: string;
}): Promise<AgentDto> {
  const role = await requireWorkspacePermission(opts.actor, opts.workspaceId, "integrations.manage");
  const { deliveryUrl, deliveryInternal } = opts.input as CreateTargetInput;
  try {
    return await db.$transaction(async (tx) => {
      const dto = await createAgentIn(tx, opts);
      if (opts.kind === "skill" || (deliveryUrl == null && !deliveryInternal)) return dto;
      const { secret } = await applyDeliverySettingsIn(tx, {
        actor: opts.actor,
        role,
        kind: opts.kind,
        id: dto.id,
        workspaceId: opts.workspaceId,
        input: { deliveryUrl, deliveryInternal },
        requestId: opts.requestId,
      });
      return { ...(await getAgentIn(tx, opts.kind, dto.id, opts.workspaceId)), ...(secret ? { deliverySecret: secret } : {}) };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(opts.kind);
    throw e;
  }
}
