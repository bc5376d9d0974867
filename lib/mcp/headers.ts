import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { createCredentialIn } from "../credentials/create-credential";
import { updateCredentialIn } from "../credentials/update-credential";
import { attachCredentialUsage, releaseCredential, withSecret } from "../credentials/use-credential";
import { secretEquals } from "../connectors/secrets";

// An MCP server's header values are workspace credentials named `mcp:<server>:<header>`, used by
// ("mcp-server", id); the server row keeps only [{ name, credentialId }]. A stdio server's environment variables
// are kept the same way (`mcp:<server>:env:<NAME>`, in `env`).

export const MCP_OWNER = "mcp-server";
export interface StoredHeader {
  name: string;
  credentialId: string;
}

export function storedHeaders(raw: unknown): StoredHeader[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (h): h is StoredHeader => !!h && typeof h === "object" && typeof h.name === "string" && typeof h.credentialId === "string",
  );
}

const credentialName = (server: string, header: string) =>
  `mcp:${server}:${header}`
    .replace(/[^\p{L}\p{N} ._:/-]+/gu, "-")
    .slice(0, 76)
    .trim();

interface Ctx {
  actor: Actor;
  workspaceId: string;
  server: { id: string; name: string };
  source: string;
  requestId?: string;
}

/**
 * Brings the stored headers to `wanted`: a header given with a value replaces (or creates) its credential, one
 * given without keeps its stored value, one left out loses its credential. Returns the new list and whether
 * anything changed.
 */
export async function syncHeaders(
  tx: Tx,
  ctx: Ctx,
  current: StoredHeader[],
  wanted: { name: string; value?: string }[],
  what: "header" | "env" = "header",
): Promise<{ headers: StoredHeader[]; changed: boolean }> {
  const byName = new Map(current.map((h) => [h.name.toLowerCase(), h]));
  const out: StoredHeader[] = [];
  let changed = false;
  for (const w of wanted) {
    const had = byName.get(w.name.toLowerCase());
    byName.delete(w.name.toLowerCase());
    if (had && w.value === undefined) {
      out.push({ name: w.name, credentialId: had.credentialId });
      if (had.name !== w.name) changed = true;
      continue;
    }
    if (w.value === undefined) continue; // a new header needs a value; the schema's callers give one
    if (had) {
      if (!(await secretEquals(tx, ctx.workspaceId, had.credentialId, w.value))) {
        await updateCredentialIn(tx, {
          actor: ctx.actor,
          workspaceId: ctx.workspaceId,
          credentialId: had.credentialId,
          input: { value: w.value },
          requestId: ctx.requestId,
        });
        changed = true;
      }
      out.push({ name: w.name, credentialId: had.credentialId });
      continue;
    }
    const base = credentialName(ctx.server.name, what === "env" ? `env:${w.name}` : w.name);
    // A configuration file lists a header's credential in `credentials` too: take over that unused one.
    const adopt =
      ctx.source === "config"
        ? await tx.credential.findFirst({
            where: { workspaceId: ctx.workspaceId, name: { equals: base, mode: "insensitive" }, usages: { none: {} } },
            select: { id: true },
          })
        : null;
    if (adopt) {
      if (!(await secretEquals(tx, ctx.workspaceId, adopt.id, w.value)))
        await updateCredentialIn(tx, { actor: ctx.actor, workspaceId: ctx.workspaceId, credentialId: adopt.id, input: { value: w.value } });
      await attachCredentialUsage(tx, { credentialId: adopt.id, ownerType: MCP_OWNER, ownerId: ctx.server.id, label: ctx.server.name });
      out.push({ name: w.name, credentialId: adopt.id });
      changed = true;
      continue;
    }
    let name = base;
    for (
      let i = 2;
      await tx.credential.findFirst({
        where: { workspaceId: ctx.workspaceId, name: { equals: name, mode: "insensitive" } },
        select: { id: true },
      });
      i++
    )
      name = `${base}-${i}`;
    const cred = await createCredentialIn(tx, {
      actor: ctx.actor,
      workspaceId: ctx.workspaceId,
      input:
        what === "env"
          ? { name, kind: "mcp-env", value: w.value, description: `Variable ${w.name} of MCP server ${ctx.server.name}` }
          : { name, kind: "mcp-header", value: w.value, description: `Header ${w.name} of MCP server ${ctx.server.name}` },
      source: ctx.source,
      requestId: ctx.requestId,
    });
    await attachCredentialUsage(tx, { credentialId: cred.id, ownerType: MCP_OWNER, ownerId: ctx.server.id, label: ctx.server.name });
    out.push({ name: w.name, credentialId: cred.id });
    changed = true;
  }
  for (const gone of byName.values()) {
    await dropHeaderCredential(tx, ctx, gone.credentialId);
    changed = true;
  }
  return { headers: out, changed };
}

/** Stops the server using a credential and deletes it when nothing else does. */
export async function dropHeaderCredential(tx: Tx, ctx: Omit<Ctx, "source">, credentialId: string) {
  await releaseCredential(tx, { credentialId, ownerType: MCP_OWNER, ownerId: ctx.server.id, ...ctx });
}

/** The masks of the stored headers' credentials, for answers. */
export async function headerMasks(workspaceId: string, headers: StoredHeader[], tx: Tx = db): Promise<{ name: string; mask: string }[]> {
  if (!headers.length) return [];
  const creds = await tx.credential.findMany({
    where: { workspaceId, id: { in: headers.map((h) => h.credentialId) } },
    select: { id: true, mask: true },
  });
  const masks = new Map(creds.map((c) => [c.id, c.mask]));
  return headers.map((h) => ({ name: h.name, mask: masks.get(h.credentialId) ?? "(missing)" }));
}

/** The plaintext headers, for one session with the server. */
export async function resolveHeaders(workspaceId: string, headers: StoredHeader[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const h of headers) out[h.name] = await withSecret({ credentialId: h.credentialId, workspaceId }, (v) => v);
  return out;
}
