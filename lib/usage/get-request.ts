import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { UsageRequestDetailDto } from "../schemas/usage";
import { loadNames, rawAttempts, toAttemptDtos, toRequestDto } from "./request-dto";

/** One request with its full route trace; a request id of another workspace is simply not found. */
export async function getRequest({
  actor,
  input,
}: {
  actor: Actor;
  input: { workspaceId: string; requestId: string };
}): Promise<UsageRequestDetailDto> {
  await requireWorkspacePermission(actor, input.workspaceId, "usage.read");
  const row = await db.usageRecord.findFirst({ where: { requestId: input.requestId, workspaceId: input.workspaceId } });
  if (!row) throw notFound("Request");
  const attempts = rawAttempts(row.attempts);
  const ids = (type: string) =>
    attempts.filter((a) => (a.targetType === "deployment" ? "deployment" : "platform") === type).map((a) => String(a.targetId ?? ""));
  const names = await loadNames(input.workspaceId, [row], { platformIds: ids("platform"), deploymentIds: ids("deployment") });
  return { ...toRequestDto(row, names), attempts: await toAttemptDtos(row.attempts, names) };
}
