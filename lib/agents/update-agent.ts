import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields, recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { notFound } from "../errors";
import type { AgentDto, AgentKind, UpdateAgentInput, UpdateTargetInput } from "../schemas/agents";
import { applyDeliverySettingsIn } from "../webhooks/target-delivery";
import { requireAgentAccess } from "./access";
import { agentSelect, agentTable, KIND_LABEL } from "./agent-table";
import { nameTaken } from "./create-agent";
import { getAgentIn } from "./get-agent";

/** Renames or re-describes a worker, workflow or skill inside `tx` (the caller has checked access); returns the changed fields. */
export async function updateAgentIn(
  tx: Tx,
  opts: { actor: Actor; kind: AgentKind; id: string; workspaceId: string; input: UpdateAgentInput; requestId?: string },
): Promise<string[]> {
  const { actor, kind, input, workspaceId } = opts;
  const table = agentTable(tx, kind);
  const before = await table.findFirst({ where: { id: opts.id, workspaceId }, select: agentSelect });
  if (!before) throw notFound(KIND_LABEL[kind]);
  if (input.name && input.name.toLowerCase() !== before.name.toLowerCase()) {
    const clash = await table.findFirst({
      where: { workspaceId, name: { equals: input.name, mode: "insensitive" }, NOT: { id: before.id } },
      select: agentSelect,
    });
    if (clash) throw nameTaken(kind);
  }
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  // registry-neutral: workers, workflows and skills are not in the gateway's routing snapshot
  await table.update({ where: { id: before.id, workspaceId }, data, select: agentSelect });
  const changes = diffFields(before as unknown as Record<string, unknown>, { ...before, ...data }, { fields: ["name", "description"] });
  if (Object.keys(changes).length) {
    await recordAudit(tx, {
      actor,
      action: `${kind}.update`,
      targetType: kind,
      targetId: before.id,
      targetLabel: data.name ?? before.name,
      workspaceId,
      changes,
      requestId: opts.requestId,
    });
  }
  return Object.keys(changes);
}

/**
 * Renames or re-describes a worker, workflow or skill, and changes a worker's or workflow's delivery settings (a
 * first delivery URL generates the signing secret, returned this once as `deliverySecret`).
 */
export async function updateAgent(opts: {
  actor: Actor;
  kind: AgentKind;
  id: string;
  input: UpdateAgentInput | UpdateTargetInput;
  requestId?: string;
}): Promise<AgentDto> {
  const { row: found, role } = await requireAgentAccess(opts.actor, opts.kind, opts.id, "integrations.manage");
  const { name, description, deliveryUrl, deliveryInternal } = opts.input as UpdateTargetInput;
  try {
    return await db.$transaction(async (tx) => {
      if (name !== undefined || description !== undefined)
        await updateAgentIn(tx, { ...opts, input: { name, description }, id: found.id, workspaceId: found.workspaceId });
      let secret: string | null = null;
      if (opts.kind !== "skill" && (deliveryUrl !== undefined || deliveryInternal !== undefined)) {
        ({ secret } = await applyDeliverySettingsIn(tx, {
          actor: opts.actor,
          role,
          kind: opts.kind,
          id: found.id,
          workspaceId: found.workspaceId,
          input: { deliveryUrl, deliveryInternal },
          requestId: opts.requestId,
        }));
      }
      const dto = await getAgentIn(tx, opts.kind, found.id, found.workspaceId);
      return secret ? { ...dto, deliverySecret: secret } : dto;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(opts.kind);
    throw e;
  }
}
