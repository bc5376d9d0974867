import { db } from "../db/client";
import type { UsageDeadLetter } from "../db/generated/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { UsageDeadLetterDto, UsageDeadLetterQuery } from "../schemas/usage";
import { toPage, type Page } from "../schemas/zod";

const text = (v: unknown) => (typeof v === "string" ? v : null);
const isoOrNull = (v: unknown) => {
  const t = typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

function parsedRecord(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toDeadLetterDto(d: UsageDeadLetter): UsageDeadLetterDto {
  const record = parsedRecord(d.record);
  return {
    id: d.id,
    requestId: d.requestId,
    workspaceId: d.workspaceId,
    at: d.at.toISOString(),
    reason: d.reason,
    requestAt: isoOrNull(record.at),
    model: text(record.model),
    userId: text(record.userId),
    agentId: text(record.agentId),
    status: typeof record.status === "number" && Number.isInteger(record.status) ? record.status : null,
    costUsd: text(record.costUsd),
    record,
  };
}

/** A workspace's dead-lettered usage records, newest first (Admins). */
export async function listDeadLetters({ actor, input }: { actor: Actor; input: UsageDeadLetterQuery }): Promise<Page<UsageDeadLetterDto>> {
  await requireWorkspacePermission(actor, input.workspaceId, "usage.deadLetters.read");
  const rows = await db.usageDeadLetter.findMany({
    where: { workspaceId: input.workspaceId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, input.limit);
  return { data: page.data.map(toDeadLetterDto), nextCursor: page.nextCursor };
}
