import type { Tx } from "../db/types";
import { AppError } from "../errors";

export interface ResolvedWebhookTarget {
  type: "worker" | "workflow";
  id: string;
  name: string;
}

/**
 * The worker or workflow an endpoint hands its events to: one of the endpoint's workspace, given by id or by
 * name (case-insensitive). Anything else (another workspace's, unknown) is a validation problem on `path`.
 */
export async function resolveWebhookTarget(
  tx: Tx,
  workspaceId: string,
  target: { type: "worker" | "workflow"; id: string },
  path = "target.id",
): Promise<ResolvedWebhookTarget> {
  const where = { workspaceId, OR: [{ id: target.id }, { name: { equals: target.id, mode: "insensitive" as const } }] };
  const select = { id: true, name: true };
  const row = target.type === "worker" ? await tx.worker.findFirst({ where, select }) : await tx.workflow.findFirst({ where, select });
  if (!row)
    throw new AppError("validation_failed", "The webhook is invalid; nothing was saved", {
      fields: [{ path, message: `No ${target.type} ${target.id} in this workspace` }],
    });
  return { type: target.type, ...row };
}

const USES: Record<string, readonly string[]> = {
  header: ["secret-header", "hmac-sha256"],
  prefix: ["secret-header", "hmac-sha256"],
  encoding: ["hmac-sha256"],
  toleranceSeconds: ["standard-webhooks", "stripe", "slack"],
};

/** Options the scheme does not read are refused (a GitHub endpoint has no configurable header). */
export function assertOptionsFit(scheme: string, options: Record<string, unknown>) {
  const fields = Object.entries(options)
    .filter(([k, v]) => v !== undefined && USES[k] && !USES[k].includes(scheme))
    .map(([k]) => ({
      path: `options.${k}`,
      message: `Only the ${USES[k].join(USES[k].length > 2 ? ", " : " and ")} scheme${USES[k].length > 1 ? "s use" : " uses"} ${k}`,
    }));
  if (fields.length) throw new AppError("validation_failed", "The webhook is invalid; nothing was saved", { fields });
}
