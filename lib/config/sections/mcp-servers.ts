import { z } from "../../schemas/zod";
import {
  checkTransportFields,
  mcpArgsSchema,
  mcpAuthSchema,
  mcpCommandSchema,
  mcpEnvSchema,
  mcpHeadersSchema,
  mcpServerNameSchema,
  MCP_TRANSPORTS,
} from "../../schemas/mcp";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { AppError, isAppError } from "../../errors";
import { logger } from "../../log";
import { secretEquals } from "../../connectors/secrets";
import { createMcpServerIn } from "../../mcp/create-server";
import { storedHeaders } from "../../mcp/headers";
import { mcpServerEditSelect, updateMcpServerIn } from "../../mcp/update-server";
import { storedArgs } from "../../mcp/target";
import { refreshMcpServer } from "../../mcp/refresh-server";
import { db } from "../../db/client";
import type { ConfigChange, ConfigSection } from "../types";
import { secretEnvName } from "./credentials";

// `mcpServers: [{ name, workspace, transport?, url, headers?, auth?, internal? }]` for HTTP servers, and
// `{ name, workspace, transport: stdio, command, args?, env? }` for local commands (refused unless the operator
// allows stdio and the command: SWITCHBOARD_MCP_STDIO, SWITCHBOARD_MCP_STDIO_COMMANDS). Header and env values and
// an OAuth client secret are secrets (`${env:NAME}`); a value equal to the stored one changes nothing, so applying
// a file twice writes nothing. `auth` (HTTP only) left out: headers if there are any, else none. An OAuth server's
// connection is made by an Admin from the console (tokens are never in a file). Tools are discovered after the
// apply commits (a server that is down is saved as failing).

const item = z
  .strictObject({
    name: mcpServerNameSchema,
    workspace: workspaceNameSchema,
    transport: z.enum(MCP_TRANSPORTS).default("streamable-http"),
    url: z.string().trim().max(2048).optional(),
    headers: mcpHeadersSchema.optional(),
    auth: mcpAuthSchema.optional(),
    internal: z.boolean().optional(),
    command: mcpCommandSchema.optional(),
    args: mcpArgsSchema.optional(),
    env: mcpEnvSchema.optional(),
  })
  .superRefine(checkTransportFields);
type Item = z.infer<typeof item>;

function atItem(e: unknown, i: number, name: string): unknown {
  if (!isAppError(e)) return e;
  const fields = (e.fields ?? []).map((f) => ({ path: `mcpServers[${i}].${f.path}`, message: `${name}: ${f.message}` }));
  return new AppError(e.code, `MCP server ${name}: ${e.message}`, fields.length ? { fields } : {});
}

export const mcpServersSection: ConfigSection<Item> = {
  key: "mcpServers",
  item,
  identity: (s) => `${s.workspace.toLowerCase()}/${s.name.toLowerCase()}`,
  secretFields: ["headers[].value", "env[].value", "auth.clientSecret"],
  async apply(items, { tx, actor, requestId, dryRun }) {
    const changes: ConfigChange[] = [];
    for (const [i, s] of items.entries()) {
      const label = `${s.workspace}/${s.name}`;
      const ws = await tx.workspace.findFirst({ where: { name: { equals: s.workspace, mode: "insensitive" } }, select: { id: true } });
      if (!ws) {
        if (dryRun) {
          changes.push({ section: "mcpServers", name: label, action: "create" });
          continue;
        }
        throw new AppError("validation_failed", `MCP server ${s.name}: no workspace named ${s.workspace}`, {
          fields: [{ path: `mcpServers[${i}].workspace`, message: `${s.name}: No workspace named ${s.workspace}` }],
        });
      }
      const existing = await tx.mcpServer.findFirst({
        where: { workspaceId: ws.id, name: { equals: s.name, mode: "insensitive" } },
        select: mcpServerEditSelect,
      });
      try {
        if (!existing) {
          changes.push({ section: "mcpServers", name: label, action: "create" });
          if (dryRun) continue;
          await createMcpServerIn(tx, {
            actor,
            workspaceId: ws.id,
            input: {
              name: s.name,
              transport: s.transport,
              url: s.url ?? "",
              headers: s.headers ?? [],
              auth: s.auth,
              internal: s.internal ?? false,
              command: s.command,
              args: s.args ?? [],
              env: s.env ?? [],
            },
            source: "config",
            requestId,
          });
          continue;
        }
        // A secret equal to the stored one is left out: it keeps its credential and changes nothing.
        const unchanged = async (storedRaw: unknown, given: { name: string; value: string }[] | undefined) => {
          const stored = storedHeaders(storedRaw);
          const out: { name: string; value?: string }[] = [];
          for (const h of given ?? []) {
            const had = stored.find((x) => x.name.toLowerCase() === h.name.toLowerCase());
            out.push(had && (await secretEquals(tx, ws.id, had.credentialId, h.value)) ? { name: h.name } : h);
          }
          const same = stored.map((h) => h.name).join("\n") === out.map((h) => h.name).join("\n") && !out.some((h) => "value" in h);
          return { list: out, same };
        };
        const headers = await unchanged(existing.headers, s.headers);
        const envVars = await unchanged(existing.env, s.env);
        const stdio = s.transport === "stdio";
        // The file says everything about auth: left out means headers (if any) or none; a secret equal to the stored one is kept.
        const wanted = s.auth ?? { type: s.headers?.length ? ("headers" as const) : ("none" as const) };
        const sameSecret =
          wanted.clientSecret !== undefined &&
          !!existing.oauthClientSecretId &&
          (await secretEquals(tx, ws.id, existing.oauthClientSecretId, wanted.clientSecret));
        const auth =
          wanted.type === "oauth"
            ? {
                type: wanted.type,
                clientId: wanted.clientId ?? null,
                clientSecret: sameSecret ? undefined : (wanted.clientSecret ?? null),
                scopes: wanted.scopes ?? [],
              }
            : { type: wanted.type };
        const input = {
          name: s.name,
          transport: s.transport,
          url: stdio ? "" : (s.url ?? ""),
          internal: stdio ? false : (s.internal ?? false),
          headers: headers.list,
          env: envVars.list,
          auth,
          ...(stdio ? { command: s.command, args: s.args ?? [] } : {}),
        };
        let fields: string[];
        if (dryRun) {
          fields = (["name", "transport", "url", "internal"] as const).filter((k) => input[k] !== existing[k]);
          if (stdio && input.command !== existing.command) fields.push("command");
          if (stdio && JSON.stringify(input.args) !== JSON.stringify(existing.args)) fields.push("args");
          if (!headers.same) fields.push("headers");
          if (!envVars.same) fields.push("env");
          if (auth.type !== existing.authType) fields.push("authType");
          const o = auth.type === "oauth" ? (auth as { clientId: string | null; clientSecret?: string | null; scopes: string[] }) : null;
          if ((o?.clientId ?? null) !== existing.oauthClientId) fields.push("oauthClientId");
          if (
            o ? o.clientSecret !== undefined && (o.clientSecret !== null || !!existing.oauthClientSecretId) : !!existing.oauthClientSecretId
          )
            fields.push("oauthClientSecret");
          if ((o?.scopes ?? []).join(" ") !== existing.oauthScopes.join(" ")) fields.push("oauthScopes");
        } else {
          fields = await updateMcpServerIn(tx, {
            actor,
            serverId: existing.id,
            scope: { workspaceId: ws.id, role: "ADMIN" },
            input,
            source: "config",
            requestId,
          });
        }
        changes.push(
          fields.length
            ? { section: "mcpServers", name: label, action: "update", fields }
            : { section: "mcpServers", name: label, action: "unchanged" },
        );
      } catch (e) {
        throw atItem(e, i, s.name);
      }
    }
    return changes;
  },
  afterCommit(changes) {
    const touched = changes.filter((c) => c.action !== "unchanged").map((c) => c.name);
    if (!touched.length) return;
    void (async () => {
      for (const label of touched) {
        const slash = label.indexOf("/");
        const row = await db.mcpServer.findFirst({
          where: {
            name: { equals: label.slice(slash + 1), mode: "insensitive" },
            workspace: { name: { equals: label.slice(0, slash), mode: "insensitive" } },
          },
          select: { id: true },
        });
        if (row) await refreshMcpServer(row.id);
      }
    })().catch((e: unknown) => logger.warn("mcp: discovery after a configuration apply failed", { error: e }));
  },
  async export(tx) {
    const rows = await tx.mcpServer.findMany({
      select: {
        name: true,
        transport: true,
        url: true,
        internal: true,
        headers: true,
        command: true,
        args: true,
        env: true,
        authType: true,
        oauthClientId: true,
        oauthClientSecretId: true,
        oauthScopes: true,
        workspace: { select: { name: true } },
      },
      orderBy: [{ workspace: { name: "asc" } }, { name: "asc" }],
    });
    const credIds = rows.flatMap((r) => [
      ...[...storedHeaders(r.headers), ...storedHeaders(r.env)].map((h) => h.credentialId),
      ...(r.oauthClientSecretId ? [r.oauthClientSecretId] : []),
    ]);
    const credNames = new Map(
      (await tx.credential.findMany({ where: { id: { in: credIds } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]),
    );
    return rows.map((r) => {
      const placeholders = (raw: unknown) =>
        storedHeaders(raw).map((h) => ({
          name: h.name,
          // The variable the credentials section names for this secret, so one variable feeds both.
          value: `\${env:${secretEnvName(r.workspace.name, credNames.get(h.credentialId) ?? `mcp ${r.name} ${h.name}`)}}`,
        }));
      if (r.transport === "stdio") {
        const env = placeholders(r.env);
        const args = storedArgs(r.args);
        return {
          name: r.name,
          workspace: r.workspace.name,
          transport: r.transport,
          command: r.command ?? "",
          ...(args.length ? { args } : {}),
          ...(env.length ? { env } : {}),
        };
      }
      const headers = placeholders(r.headers);
      const secretName = r.oauthClientSecretId
        ? secretEnvName(r.workspace.name, credNames.get(r.oauthClientSecretId) ?? `mcp ${r.name} oauth-client-secret`)
        : null;
      const auth =
        r.authType === "oauth"
          ? {
              type: "oauth",
              ...(r.oauthClientId ? { clientId: r.oauthClientId } : {}),
              ...(secretName ? { clientSecret: `\${env:${secretName}}` } : {}),
              ...(r.oauthScopes.length ? { scopes: r.oauthScopes } : {}),
            }
          : // Left out when it is what a file without `auth` means.
            (r.authType === "headers") === headers.length > 0
            ? null
            : { type: r.authType };
      return {
        name: r.name,
        workspace: r.workspace.name,
        transport: r.transport,
        url: r.url,
        ...(headers.length ? { headers } : {}),
        ...(auth ? { auth } : {}),
        ...(r.internal ? { internal: true } : {}),
      };
    });
  },
};
