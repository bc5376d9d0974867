import type { z } from "zod";

/**
 * One authentication mode of a connector (api-key, bearer, basic, app-token; the OAuth modes slot in the same
 * way). A mode is one module exporting one `ConnectorAuthMode`, registered in ./registry.ts. Nothing outside
 * the module knows how a mode stores or applies its secrets.
 *
 * Secrets are never kept on the connector row: `authSettings.secretIds` maps each of the mode's secret slots
 * to a Credential id, and the data plane opens them with `withSecret` only for the length of one call.
 */
export type AuthModeName = "api-key" | "bearer" | "basic" | "app-token" | "oauth-user" | "client-credentials" | "hybrid";

/** What a mode may change on an outgoing request before it is sent. */
export interface OutgoingAuthTarget {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  cookies: Array<[string, string]>;
}

/** Stored on Connector.authSettings: the mode's non-secret settings plus the credential ids of its secrets. */
export interface StoredAuthSettings {
  secretIds: Record<string, string>;
  [setting: string]: unknown;
}

export interface ConnectorAuthMode<Input extends Record<string, unknown> = Record<string, unknown>> {
  mode: AuthModeName;
  /** Human label for the console ("API key", "Bearer token", ...). */
  label: string;
  /**
   * The mode's input as a client sends it (console, admin API, config file), secrets included in plain text,
   * e.g. `{ in: "header", name: "X-Api-Key", value: "..." }`. `.strict()` so a misspelt field is an error.
   */
  input: z.ZodType<Input>;
  /** Names of the input fields that are secrets (stored as Credentials, never echoed): e.g. ["value"]. */
  secretFields: readonly string[];
  /** The non-secret settings to keep on the connector (everything in the input but the secrets). */
  settings(input: Input): Record<string, unknown>;
  /** What a response or an export shows: settings, with each secret replaced by its mask. */
  describe(settings: Record<string, unknown>, masks: Record<string, string>): Record<string, unknown>;
  /** Puts the credentials on the outgoing request. `secrets` holds the plaintext per secret field. */
  apply(target: OutgoingAuthTarget, settings: Record<string, unknown>, secrets: Record<string, string>): void;
}
