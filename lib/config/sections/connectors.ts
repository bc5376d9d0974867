import { z, textSchema } from "../../schemas/zod";
import {
  connectorAuthSchema,
  connectorBaseUrlSchema,
  connectorNameSchema,
  paramsSchema,
  type UpdateConnectorInput,
} from "../../schemas/connectors";
import { providerNameSchema } from "../../schemas/providers";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { AppError, isAppError } from "../../errors";
import { authMode } from "../../connectors/auth/registry";
import { storedSettings } from "../../connectors/connector-dto";
import { createConnectorIn } from "../../connectors/create-connector";
import { secretEquals } from "../../connectors/secrets";
import { updateConnectorIn } from "../../connectors/update-connector";
import type { ConfigChange, ConfigSection } from "../types";
import { secretEnvName } from "./credentials";

// `connectors: [{ name, workspace, provider, baseUrl?, params?, description?, public?, internal?, version?, auth }]`:
// a connector of a provider of the same workspace (by name). `version: 3` pins that version of the provider;
// without it the connector follows the latest. A file may name any http(s) base URL (the outbound guard still
// decides where calls may go); omitted, it is the provider's first server. Secrets may be `${env:NAME}`.
// OAuth modes (oauth-user, hybrid, app-token with a client) take clientId, clientSecret, authorizeUrl, tokenUrl,
// scopes, authorizeParams and revocationUrl in `auth`; the URLs default from the provider's oauth2 scheme.

const item = z.strictObject({
  name: connectorNameSchema,
  workspace: workspaceNameSchema,
  provider: providerNameSchema,
  baseUrl: connectorBaseUrlSchema.optional(),
  params: paramsSchema.optional(),
  description: textSchema({ max: 2000, multiline: true }).optional(),
  public: z.boolean().optional(),
  internal: z.boolean().optional(),
  version: z.union([z.number().int().positive(), z.literal("latest")]).optional(),
  auth: connectorAuthSchema,
});
type Item = z.infer<typeof item>;

/** A domain error with field paths, reported at the item's place in the file and naming the connector. */
function atItem(e: unknown, i: number, name: string): unknown {
  if (!isAppError(e)) return e;
  const fields = (e.fields ?? []).map((f) => ({ path: `connectors[${i}].${f.path}`, message: `${name}: ${f.message}` }));
  return new AppError(e.code, `Connector ${name}: ${e.message}`, fields.length ? { fields } : {});
}

export const connectorsSection: ConfigSection<Item> = {
  key: "connectors",
  item,
  identity: (c) => `${c.workspace.toLowerCase()}/${c.name.toLowerCase()}`,
  secretFields: ["auth.value", "auth.password", "auth.clientSecret"],
  async apply(items, { tx, actor, requestId, dryRun }) {
    const changes: ConfigChange[] = [];
    for (const [i, c] of items.entries()) {
      const label = `${c.workspace}/${c.name}`;
      const problem = (field: string, message: string): never => {
        throw new AppError("validation_failed", `Connector ${c.name}: ${message}`, {
          fields: [{ path: `connectors[${i}].${field}`, message: `${c.name}: ${message}` }],
        });
      };
      const ws = await tx.workspace.findFirst({ where: { name: { equals: c.workspace, mode: "insensitive" } }, select: { id: true } });
      const provider = ws
        ? await tx.provider.findFirst({
            where: { workspaceId: ws.id, name: { equals: c.provider, mode: "insensitive" } },
            select: { id: true },
          })
        : null;
      // In a dry run, a workspace or provider created earlier in the same file does not exist yet.
      if ((!ws || !provider) && dryRun) {
        changes.push({ section: "connectors", name: label, action: "create" });
        continue;
      }
      if (!ws) problem("workspace", `No workspace named ${c.workspace}`);
      if (!provider) problem("provider", `No provider named ${c.provider} in workspace ${c.workspace}`);
      let pinnedVersionId = "latest";
      if (typeof c.version === "number") {
        const v = await tx.providerVersion.findFirst({ where: { providerId: provider!.id, number: c.version }, select: { id: true } });
        if (!v) problem("version", `Provider ${c.provider} has no version ${c.version}`);
        pinnedVersionId = v!.id;
      }
      const existing = await tx.connector.findFirst({
        where: { workspaceId: ws!.id, name: { equals: c.name, mode: "insensitive" } },
        select: { id: true, providerId: true, authMode: true, authSettings: true },
      });
      try {
        if (!existing) {
          changes.push({ section: "connectors", name: label, action: "create" });
          if (dryRun) continue;
          await createConnectorIn(tx, {
            actor,
            workspaceId: ws!.id,
            input: {
              providerId: provider!.id,
              name: c.name,
              description: c.description ?? "",
              baseUrl: c.baseUrl,
              customBaseUrl: c.baseUrl !== undefined,
              pinnedVersionId,
              params: c.params ?? {},
              public: c.public ?? false,
              internal: c.internal ?? false,
              auth: c.auth,
            },
            source: "config",
            adoptSecrets: true,
            requestId,
          });
          continue;
        }
        if (existing.providerId !== provider!.id)
          problem("provider", "A connector's provider cannot change; delete the connector and create it again");
        // A secret equal to the stored one is left out, so applying the same file again writes nothing.
        const auth = { ...c.auth };
        const stored = storedSettings(existing);
        const mode = authMode(c.auth.mode);
        if (mode && mode.mode === existing.authMode) {
          for (const f of mode.secretFields) {
            const v = auth[f];
            const id = stored.secretIds[f];
            if (typeof v === "string" && id && (await secretEquals(tx, ws!.id, id, v))) delete auth[f];
          }
        }
        const input: UpdateConnectorInput = {
          ...(c.description !== undefined ? { description: c.description } : {}),
          ...(c.baseUrl !== undefined ? { baseUrl: c.baseUrl, customBaseUrl: true } : {}),
          ...(c.params !== undefined ? { params: c.params } : {}),
          ...(c.public !== undefined ? { public: c.public } : {}),
          ...(c.internal !== undefined ? { internal: c.internal } : {}),
          pinnedVersionId,
          auth,
        };
        const { changed } = await updateConnectorIn(tx, {
          actor,
          scope: { workspaceId: ws!.id, role: "ADMIN", where: { id: existing.id, workspaceId: ws!.id } },
          input,
          requestId,
          source: "config",
          dryRun,
        });
        changes.push(
          changed.length
            ? { section: "connectors", name: label, action: "update", fields: changed }
            : { section: "connectors", name: label, action: "unchanged" },
        );
      } catch (e) {
        throw atItem(e, i, c.name);
      }
    }
    return changes;
  },
  async export(tx) {
    const rows = await tx.connector.findMany({
      select: {
        name: true,
        workspaceId: true,
        baseUrl: true,
        params: true,
        description: true,
        public: true,
        internal: true,
        pinnedVersionId: true,
        authMode: true,
        authSettings: true,
        workspace: { select: { name: true } },
        provider: { select: { name: true } },
      },
      orderBy: [{ workspace: { name: "asc" } }, { name: "asc" }],
    });
    const versionIds = rows.map((r) => r.pinnedVersionId).filter((v): v is string => !!v);
    const versions = new Map(
      (await tx.providerVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, number: true } })).map((v) => [
        v.id,
        v.number,
      ]),
    );
    const credIds = rows.flatMap((r) => Object.values(storedSettings(r).secretIds));
    const credNames = new Map(
      (await tx.credential.findMany({ where: { id: { in: credIds } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]),
    );
    return rows.map((r) => {
      const { secretIds, ...settings } = storedSettings(r);
      const params = (r.params ?? {}) as Record<string, string>;
      // The same variable the credentials section names for this secret, so one variable feeds both.
      const secrets = Object.fromEntries(
        Object.entries(secretIds).map(([f, id]) => [
          f,
          `\${env:${secretEnvName(r.workspace.name, credNames.get(id) ?? `connector ${r.name} ${f}`)}}`,
        ]),
      );
      const version = r.pinnedVersionId ? versions.get(r.pinnedVersionId) : undefined;
      return {
        name: r.name,
        workspace: r.workspace.name,
        provider: r.provider.name,
        baseUrl: r.baseUrl,
        ...(Object.keys(params).length ? { params } : {}),
        ...(r.description ? { description: r.description } : {}),
        ...(r.public ? { public: true } : {}),
        ...(r.internal ? { internal: true } : {}),
        ...(version ? { version } : {}),
        auth: { mode: r.authMode, ...settings, ...secrets },
      };
    });
  },
};
