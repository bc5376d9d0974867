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

const STANDARD_WEBHOOKS_SECRET = "A Standard Webhooks secret is whsec_ followed by the base64 of 24 to 64 bytes";

/** Why `secret` cannot serve `scheme` (null: it can). Only Standard Webhooks gives its secrets a format. */
export function secretFitProblem(scheme: string, secret: string): string | null {
  if (scheme !== "standard-webhooks") return null;
  const b64 = secret.startsWith("whsec_") ? secret.slice(6) : secret;
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && b64.length % 4 === 0 ? Buffer.from(b64, "base64").length : 0;
  return bytes < 24 || bytes > 64 ? STANDARD_WEBHOOKS_SECRET : null;
}

/**
 * A sender's own Standard Webhooks secret must be one (`whsec_` + base64 of 24 to 64 bytes, as the specification
 * says): anything else would be decoded differently by senders' libraries, or not at all.
 */
export function assertSecretFits(scheme: string, secret: string | undefined, path = "secret") {
  if (secret === undefined) return;
  const problem = secretFitProblem(scheme, secret);
  if (problem)
    throw new AppError("validation_failed", "The webhook is invalid; nothing was saved", { fields: [{ path, message: problem }] });
}
