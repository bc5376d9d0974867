import { withSecret } from "../../credentials/use-credential";
import { AppError } from "../../errors";
import { authMode } from "./registry";
import type { OutgoingAuthTarget } from "./types";

export interface ConnectorAuthSource {
  workspaceId: string;
  authMode: string;
  /** Connector.authSettings: the mode's settings and `secretIds: { <field>: credentialId }`. */
  authSettings: unknown;
}

/**
 * Puts a connector's credentials on an outgoing request (the tool-call data plane and "Test connection" both
 * use it). Each secret is opened from the credentials store (bound to the connector's workspace) only for this
 * call and handed to the mode's `apply`; nothing is cached. Returns the plaintext values placed on the request,
 * so the caller can keep them out of anything it shows (an API that echoes a header back, an error message).
 */
export async function applyConnectorAuth(connector: ConnectorAuthSource, target: OutgoingAuthTarget): Promise<{ secrets: string[] }> {
  const mode = authMode(connector.authMode);
  if (!mode) throw new AppError("bad_request", `The connector's authentication mode '${connector.authMode}' is not available`);
  const stored = (connector.authSettings && typeof connector.authSettings === "object" ? connector.authSettings : {}) as Record<
    string,
    unknown
  >;
  const { secretIds: rawIds, ...settings } = stored;
  const secretIds = (rawIds && typeof rawIds === "object" ? rawIds : {}) as Record<string, unknown>;
  const secrets: Record<string, string> = {};
  for (const field of mode.secretFields) {
    const credentialId = secretIds[field];
    if (typeof credentialId !== "string" || !credentialId)
      throw new AppError("bad_request", `The connector has no credential for '${field}'; set its authentication again`);
    secrets[field] = await withSecret({ credentialId, workspaceId: connector.workspaceId }, (plain) => plain);
  }
  mode.apply(target, settings, secrets);
  return { secrets: Object.values(secrets).filter(Boolean) };
}
