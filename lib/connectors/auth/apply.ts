import { withSecret } from "../../credentials/use-credential";
import { AppError } from "../../errors";
import { authMode } from "./registry";
import type { AuthCallContext, OutgoingAuthTarget } from "./types";

export interface ConnectorAuthSource {
  id: string;
  workspaceId: string;
  internal: boolean;
  authMode: string;
  /** Connector.authSettings: the mode's settings and `secretIds: { <field>: credentialId }`. */
  authSettings: unknown;
}

/**
 * Puts a connector's credentials on an outgoing request (the tool-call data plane and "Test connection" both
 * use it). Each secret is opened from the credentials store (bound to the connector's workspace) only for this
 * call and handed to the mode's `apply`; nothing is cached. OAuth modes pick the end user's token (refreshing it
 * when due) or the app token. Returns the plaintext values placed on the request, so the caller can keep them out
 * of anything it shows (an API that echoes a header back, an error message), and whether a 401 is worth a retry.
 */
export async function applyConnectorAuth(
  connector: ConnectorAuthSource,
  target: OutgoingAuthTarget,
  call: Pick<AuthCallContext, "endUserId" | "rejectedToken"> = { endUserId: null },
): Promise<{ secrets: string[]; refreshable: boolean }> {
  const mode = authMode(connector.authMode);
  if (!mode) throw new AppError("bad_request", `The connector's authentication mode '${connector.authMode}' is not available`);
  const stored = (connector.authSettings && typeof connector.authSettings === "object" ? connector.authSettings : {}) as Record<
    string,
    unknown
  >;
  const { secretIds: rawIds, ...settings } = stored;
  const secretIds = (rawIds && typeof rawIds === "object" ? rawIds : {}) as Record<string, unknown>;
  const required = mode.requiredSecrets?.(settings) ?? mode.secretFields;
  const secrets: Record<string, string> = {};
  for (const field of mode.secretsUsed?.(settings) ?? mode.secretFields) {
    const credentialId = secretIds[field];
    if (typeof credentialId !== "string" || !credentialId) {
      if (required.includes(field))
        throw new AppError("bad_request", `The connector has no credential for '${field}'; set its authentication again`);
      continue;
    }
    secrets[field] = await withSecret({ credentialId, workspaceId: connector.workspaceId }, (plain) => plain);
  }
  await mode.apply(target, settings, secrets, {
    connector: { id: connector.id, workspaceId: connector.workspaceId, internal: connector.internal },
    ...call,
  });
  return { secrets: Object.values(secrets).filter(Boolean), refreshable: !!mode.refreshable };
}
