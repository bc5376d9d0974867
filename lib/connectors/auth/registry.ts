import { appTokenMode, hybridMode, oauthUserMode } from "./oauth-modes";
import { apiKeyMode, basicMode, bearerMode } from "./static-modes";
import type { AuthModeName, ConnectorAuthMode } from "./types";

/** Every authentication mode a connector can have. */
const MODES: Partial<Record<AuthModeName, ConnectorAuthMode>> = {
  "api-key": apiKeyMode as unknown as ConnectorAuthMode,
  bearer: bearerMode as unknown as ConnectorAuthMode,
  basic: basicMode as unknown as ConnectorAuthMode,
  "app-token": appTokenMode as unknown as ConnectorAuthMode,
  "oauth-user": oauthUserMode as unknown as ConnectorAuthMode,
  hybrid: hybridMode as unknown as ConnectorAuthMode,
};

export const OAUTH_AUTH_MODES = ["oauth-user", "hybrid"] as const;

export const STATIC_AUTH_MODES = ["api-key", "bearer", "basic", "app-token"] as const;

export function authMode(name: string): ConnectorAuthMode | null {
  return (MODES as Record<string, ConnectorAuthMode | undefined>)[name] ?? null;
}

export function authModeNames(): AuthModeName[] {
  return Object.keys(MODES) as AuthModeName[];
}
