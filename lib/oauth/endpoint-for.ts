import { withSecret } from "../credentials/use-credential";
import type { OAuthEndpointContext } from "./client";
import { readClientSettings } from "./settings";

/** A connector's OAuth client with its secret opened for this one use (connect, disconnect). */
export async function endpointFor(connector: {
  workspaceId: string;
  internal: boolean;
  authSettings: unknown;
}): Promise<OAuthEndpointContext> {
  const stored = (connector.authSettings ?? {}) as Record<string, unknown> & { secretIds?: Record<string, string> };
  const { secretIds, ...settings } = stored;
  const credentialId = secretIds?.clientSecret;
  const clientSecret = credentialId ? await withSecret({ credentialId, workspaceId: connector.workspaceId }, (s) => s) : null;
  return { settings: readClientSettings(settings), clientSecret, allowPrivate: connector.internal };
}
