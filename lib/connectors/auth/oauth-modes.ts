import { z } from "zod";
import { AppError } from "../../errors";
import { appAccessToken } from "../../oauth/app-token";
import { OAuthRequestError, type OAuthEndpointContext } from "../../oauth/client";
import {
  clientIdSchema,
  clientSecretSchema,
  endpointUrlSchema,
  oauthClientFields,
  oauthDefaultsFromSchemes,
  readClientSettings,
} from "../../oauth/settings";
import { ConnectionUnusableError, userAccessToken } from "../../oauth/user-token";
import type { AuthCallContext, ConnectorAuthMode, OutgoingAuthTarget } from "./types";

// The OAuth modes. oauth-user: each end user connects through a connect link (authorization code + PKCE) and
// calls act as that user. app-token: a static token, or one from the client credentials grant. hybrid: the end
// user's connection when there is one, else the app token.

const staticToken = z
  .string()
  .min(1, "must not be empty")
  .max(8192)
  .refine((s) => !/[\r\n\0]/.test(s), "must not contain line breaks or NUL");

const SETTING_KEYS = ["clientId", "authorizeUrl", "tokenUrl", "revocationUrl", "scopes", "authorizeParams"] as const;
const pick = (i: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => i[k] !== undefined).map((k) => [k, i[k]]));
const describeClient = (s: Record<string, unknown>, masks: Record<string, string>) => ({
  ...pick(s, SETTING_KEYS),
  ...(masks.clientSecret ? { clientSecret: masks.clientSecret } : {}),
});

function endpoint(settings: Record<string, unknown>, secrets: Record<string, string>, ctx: AuthCallContext): OAuthEndpointContext {
  return { settings: readClientSettings(settings), clientSecret: secrets.clientSecret ?? null, allowPrivate: ctx.connector.internal };
}

const bearer = (target: OutgoingAuthTarget, token: string) => {
  target.headers.authorization = `Bearer ${token}`;
};

async function applyUserToken(
  target: OutgoingAuthTarget,
  s: Record<string, unknown>,
  secrets: Record<string, string>,
  ctx: AuthCallContext,
) {
  if (!ctx.endUserId) return false;
  const t = await userAccessToken({
    connector: ctx.connector,
    endpoint: endpoint(s, secrets, ctx),
    endUserId: ctx.endUserId,
    rejectedToken: ctx.rejectedToken,
  });
  if (!t) return false;
  bearer(target, t.token);
  return true;
}

async function applyClientCredentials(
  target: OutgoingAuthTarget,
  s: Record<string, unknown>,
  secrets: Record<string, string>,
  ctx: AuthCallContext,
) {
  try {
    const t = await appAccessToken(ctx.connector.id, endpoint(s, secrets, ctx), ctx.rejectedToken);
    bearer(target, t.token);
  } catch (e) {
    if (e instanceof OAuthRequestError) throw new AppError("bad_request", `The app token could not be obtained: ${e.message}`);
    throw e;
  }
}

const userInput = z.object({ ...oauthClientFields, authorizeUrl: endpointUrlSchema, tokenUrl: endpointUrlSchema }).strict();
const oauthDefaults = (schemes: Parameters<typeof oauthDefaultsFromSchemes>[0]) => {
  const d = oauthDefaultsFromSchemes(schemes);
  return pick({ authorizeUrl: d.authorizeUrl, tokenUrl: d.tokenUrl }, ["authorizeUrl", "tokenUrl"]);
};

export const oauthUserMode: ConnectorAuthMode<z.infer<typeof userInput>> = {
  mode: "oauth-user",
  label: "OAuth (each end user connects)",
  input: userInput,
  secretFields: ["clientSecret"],
  // A public client (PKCE without a secret) is allowed.
  requiredSecrets: () => [],
  defaults: oauthDefaults,
  refreshable: true,
  settings: (i) => pick(i, SETTING_KEYS),
  describe: describeClient,
  async apply(target, s, secrets, ctx) {
    if (!ctx.endUserId) throw new ConnectionUnusableError("This connector acts as an end user: send the end user's id in X-User-Id");
    if (!(await applyUserToken(target, s, secrets, ctx)))
      throw new ConnectionUnusableError(
        `The end user '${ctx.endUserId}' has not connected an account to this connector; create a connect link for them`,
      );
  },
};

const appInput = z
  .object({
    value: staticToken.optional(),
    clientId: clientIdSchema.optional(),
    clientSecret: clientSecretSchema.optional(),
    tokenUrl: endpointUrlSchema.optional(),
    scopes: oauthClientFields.scopes,
  })
  .strict()
  .superRefine((i, ctx) => {
    if (i.value !== undefined) {
      if (i.clientId !== undefined || i.clientSecret !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["value"],
          message: "Give either a static token (value) or a client (clientId, clientSecret, tokenUrl), not both",
        });
      return;
    }
    if (i.clientId === undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: "Required: a static token, or clientId, clientSecret and tokenUrl" });
    else {
      if (i.clientSecret === undefined)
        ctx.addIssue({ code: "custom", path: ["clientSecret"], message: "Required for the client credentials grant" });
      if (i.tokenUrl === undefined)
        ctx.addIssue({ code: "custom", path: ["tokenUrl"], message: "Required for the client credentials grant" });
    }
  });
const usesClient = (s: Record<string, unknown>) => typeof s.clientId === "string" && s.clientId !== "";

/** An app token: a static token issued once by the vendor (`{ value }`), or the client credentials grant. */
export const appTokenMode: ConnectorAuthMode<z.infer<typeof appInput>> = {
  mode: "app-token",
  label: "App token",
  input: appInput,
  secretFields: ["value", "clientSecret"],
  requiredSecrets: (s) => (usesClient(s) ? ["clientSecret"] : ["value"]),
  secretsUsed: (s) => (usesClient(s) ? ["clientSecret"] : ["value"]),
  keepsStored: (fields) => fields.value === undefined,
  defaults: (schemes, merged) => {
    if (!usesClient(merged)) return {};
    const d = oauthDefaultsFromSchemes(schemes);
    return d.clientCredentialsTokenUrl ? { tokenUrl: d.clientCredentialsTokenUrl } : {};
  },
  refreshable: true,
  settings: (i) => (i.value !== undefined ? {} : pick(i, ["clientId", "tokenUrl", "scopes"])),
  describe: (s, masks) => (usesClient(s) ? describeClient(s, masks) : { value: masks.value ?? "" }),
  async apply(target, s, secrets, ctx) {
    if (!usesClient(s)) return bearer(target, secrets.value ?? "");
    await applyClientCredentials(target, s, secrets, ctx);
  },
};

const hybridInput = z
  .object({ ...oauthClientFields, authorizeUrl: endpointUrlSchema, tokenUrl: endpointUrlSchema, value: staticToken.optional() })
  .strict();

/** The end user's connection when there is one, else the app token (the static `value`, else client credentials). */
export const hybridMode: ConnectorAuthMode<z.infer<typeof hybridInput>> = {
  mode: "hybrid",
  label: "Hybrid (end user's connection, else app token)",
  input: hybridInput,
  secretFields: ["clientSecret", "value"],
  requiredSecrets: () => [],
  defaults: oauthDefaults,
  refreshable: true,
  settings: (i) => pick(i, SETTING_KEYS),
  describe: (s, masks) => ({ ...describeClient(s, masks), ...(masks.value ? { value: masks.value } : {}) }),
  async apply(target, s, secrets, ctx) {
    if (await applyUserToken(target, s, secrets, ctx)) return;
    if (secrets.value) return bearer(target, secrets.value);
    if (!secrets.clientSecret)
      throw new ConnectionUnusableError(
        ctx.endUserId
          ? `The end user '${ctx.endUserId}' has not connected an account, and the connector has no app token to fall back on`
          : "Send X-User-Id: the connector has no app token to fall back on",
      );
    await applyClientCredentials(target, s, secrets, ctx);
  },
};
