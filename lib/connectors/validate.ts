import type { Tx } from "../db/types";
import type { FieldProblem } from "../errors";
import { AppError } from "../errors";
import type { ConnectorAuthInput } from "../schemas/connectors";
import type { ProviderDto } from "../schemas/providers";
import { authMode } from "./auth/registry";
import { serverUrls, trimSlash, type Server } from "./servers";
import type { ConnectorAuthMode, StoredAuthSettings } from "./auth/types";

// Checks a connector's settings against its provider before anything is stored. Each check returns problems by
// field path, so one answer names everything wrong.

/**
 * The base URL to store: one of the provider's servers (the first when none is given), or any http(s) URL when
 * `custom` is set. A server's variables must all have a value, from the params or the server's default.
 */
export function checkBaseUrl(opts: { servers: Server[]; params: Record<string, string>; baseUrl: string | undefined; custom: boolean }): {
  baseUrl: string;
  problems: FieldProblem[];
} {
  const urls = serverUrls(opts.servers, opts.params);
  const given = opts.baseUrl === undefined ? undefined : trimSlash(opts.baseUrl.trim());
  if (given === undefined) {
    if (!urls.length) return { baseUrl: "", problems: [{ path: "baseUrl", message: "The provider names no server; enter a base URL" }] };
    const first = urls[0];
    return { baseUrl: first.url, problems: first.missing.map((m) => ({ path: `params.${m}`, message: "Required by the server URL" })) };
  }
  let parsed: URL;
  try {
    parsed = new URL(given);
  } catch {
    return { baseUrl: given, problems: [{ path: "baseUrl", message: "Enter an http(s) URL" }] };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return { baseUrl: given, problems: [{ path: "baseUrl", message: "Enter an http(s) URL" }] };
  if (parsed.username || parsed.password)
    return { baseUrl: given, problems: [{ path: "baseUrl", message: "Must not contain a user name or password" }] };
  const match = urls.find((u) => u.url === given);
  if (match)
    return { baseUrl: given, problems: match.missing.map((m) => ({ path: `params.${m}`, message: "Required by the server URL" })) };
  if (opts.custom) return { baseUrl: given, problems: [] };
  const listed = urls.map((u) => u.url).join(", ");
  return {
    baseUrl: given,
    problems: [
      {
        path: "baseUrl",
        message: urls.length
          ? `Not one of the provider's servers (${listed}); choose one or mark the base URL as custom`
          : "The provider names no server; mark the base URL as custom",
      },
    ],
  };
}

/** A value standing for a secret the client left out on an update (the stored one is kept). */
const KEPT = "kept-secret";

export interface CheckedAuth {
  mode: ConnectorAuthMode;
  settings: Record<string, unknown>;
  /** New secret values by field; a field absent here keeps its stored credential. */
  secrets: Record<string, string>;
  /** The secret fields the settings use: stored credentials of other fields are dropped. */
  usedSecrets: string[];
}

/**
 * Validates the authentication with its mode's own schema. Fields the provider's security scheme decides
 * (api-key `in` and `name`) default from it; on an update with the same mode, settings left out keep their
 * stored values and secrets left out keep their stored credentials.
 */
export function checkAuth(opts: {
  input: ConnectorAuthInput;
  authSchemes: ProviderDto["authSchemes"];
  existing?: { mode: string; settings: StoredAuthSettings };
}): { auth: CheckedAuth | null; problems: FieldProblem[] } {
  const { mode: modeName, ...fields } = opts.input;
  const mode = authMode(modeName);
  if (!mode)
    return {
      auth: null,
      problems: [{ path: "auth.mode", message: `Unknown mode "${modeName}"; use api-key, bearer, basic, app-token, oauth-user or hybrid` }],
    };
  const same = opts.existing?.mode === mode.mode;
  const merged: Record<string, unknown> = {};
  if (same && (mode.keepsStored?.(fields) ?? true)) {
    const { secretIds: _ids, ...stored } = opts.existing!.settings;
    Object.assign(merged, stored);
  }
  Object.assign(merged, fields);
  for (const [k, v] of Object.entries(mode.defaults?.(opts.authSchemes, merged) ?? {})) if (merged[k] === undefined) merged[k] = v;
  const used = mode.secretsUsed?.(merged) ?? mode.secretFields;
  const kept: string[] = [];
  for (const f of used) {
    if (merged[f] === undefined && same && opts.existing!.settings.secretIds?.[f]) {
      merged[f] = KEPT;
      kept.push(f);
    }
  }
  const r = mode.input.safeParse(merged);
  if (!r.success) {
    return {
      auth: null,
      problems: r.error.issues.map((i) => ({
        path: ["auth", ...i.path.map(String)].join("."),
        message: i.code === "unrecognized_keys" ? `Not a field of ${mode.label}: ${i.keys.join(", ")}` : i.message,
      })),
    };
  }
  const value = r.data as Record<string, unknown>;
  const secrets: Record<string, string> = {};
  for (const f of mode.secretFields) if (!kept.includes(f) && typeof value[f] === "string") secrets[f] = value[f] as string;
  const settings = mode.settings(value);
  return { auth: { mode, settings, secrets, usedSecrets: [...(mode.secretsUsed?.(settings) ?? mode.secretFields)] }, problems: [] };
}

/** The version id to pin (null: latest); it must be one of the provider's versions. */
export async function checkPinnedVersion(
  tx: Tx,
  providerId: string,
  pinned: string,
): Promise<{ id: string | null; number: number | null; problems: FieldProblem[] }> {
  if (pinned === "latest") return { id: null, number: null, problems: [] };
  const v = await tx.providerVersion.findFirst({ where: { id: pinned, providerId }, select: { id: true, number: true } });
  if (!v) return { id: null, number: null, problems: [{ path: "pinnedVersionId", message: "Not a version of this provider" }] };
  return { id: v.id, number: v.number, problems: [] };
}

export function throwProblems(problems: FieldProblem[], what = "The connector is invalid; nothing was saved"): void {
  if (problems.length) throw new AppError("validation_failed", what, { fields: problems });
}
