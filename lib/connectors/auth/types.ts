import type { z } from "zod";

/**
 * One authentication mode of a connector (api-key, bearer, basic, app-token; the OAuth modes slot in the same
 * way). A mode is one module exporting one `ConnectorAuthMode`, registered in ./registry.ts. Nothing outside
 * the module knows how a mode stores or applies its secrets.
 *
 * Secrets are never kept on the connector row: `authSettings.secretIds` maps each of the mode's secret slots
 * to a Credential id, and the data plane opens them with `withSecret` only for the length of one call.
 */
export type AuthModeName = "api-key" | "bearer" | "basic" | "app-token" | "oauth-user" | "hybrid";

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

/** Who a call is for, and what the last attempt learned: what an OAuth mode needs to pick and refresh a token. */
export interface AuthCallContext {
  connector: { id: string; workspaceId: string; internal: boolean };
  /** The caller's end user (X-User-Id of a tool call; the console user's email for "Test connection"), if any. */
  endUserId: string | null;
  /** The API answered 401 to this token: get a fresh one (unless someone already did). */
  rejectedToken?: string;
}

/** The provider's security schemes, from which a mode may take defaults (api-key placement, OAuth URLs). */
export type ProviderAuthSchemes = {
  type: string;
  in?: string;
  name?: string;
  flows?: Record<string, { authorizationUrl?: string; tokenUrl?: string; refreshUrl?: string; scopes?: Record<string, string> }>;
}[];

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
  /**
   * The secret fields the stored settings cannot do without (default: all of `secretFields`). A mode with
   * alternatives (app-token: a static `value` or a client secret) or optional secrets (a public OAuth client) narrows it.
   */
  requiredSecrets?(settings: Record<string, unknown>): readonly string[];
  /** The secret fields these settings use at all (default: all of `secretFields`); stored ones outside it are dropped. */
  secretsUsed?(settings: Record<string, unknown>): readonly string[];
  /** On an update with the same mode, whether stored settings fill what the input leaves out (default: yes). */
  keepsStored?(input: Record<string, unknown>): boolean;
  /** Settings the provider's security schemes supply when the input (merged with what is kept) leaves them out. */
  defaults?(schemes: ProviderAuthSchemes, merged: Record<string, unknown>): Record<string, unknown>;
  /** The mode obtains its tokens from an authorization server: a 401 from the API is worth one retry with a new token. */
  refreshable?: boolean;
  /**
   * Puts the credentials on the outgoing request. `secrets` holds the plaintext per secret field; OAuth modes
   * fetch or refresh a token here, for `ctx.endUserId`.
   */
  apply(
    target: OutgoingAuthTarget,
    settings: Record<string, unknown>,
    secrets: Record<string, string>,
    ctx: AuthCallContext,
  ): void | Promise<void>;
}
