import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { logger } from "../log";
import { describeMcpError, type McpSession } from "./client";
import { openServerSession, targetSelect } from "./target";

// Discovery: initialize (server name, version and capabilities), list every tool (following pages), and the
// resources, resource templates and prompts when the server offers them; store them. A tool keeps its enabled
// flag across refreshes (matched by name); a tool the server no longer offers is removed.

const DISCOVERY_TIMEOUT_MS = 15_000;
const MAX_ITEMS = 1000;
const MAX_PAGES = 50;
// What a tool must look like to be stored: the name is used in routes, aggregated names and assignments, the
// schema is stored, compiled and sent to every client of the aggregated endpoint.
const TOOL_NAME = /^[A-Za-z0-9_.:/-]{1,128}$/;
const MAX_TOOL_SCHEMA_BYTES = 64 * 1024;

export interface RefreshResult {
  ok: boolean;
  error?: string;
}

async function listAll<T>(fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await fetchPage(cursor);
    out.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor || out.length >= MAX_ITEMS) break;
  }
  return out.slice(0, MAX_ITEMS);
}

const text = (v: unknown, max: number) => (typeof v === "string" ? v.slice(0, max) : undefined);
const clean = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

interface Discovered {
  info: { name?: string; version?: string } | undefined;
  capabilities: Record<string, unknown>;
  tools: ListedTool[];
  resources: Record<string, unknown>[];
  templates: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
}

type ListedTool = { name: string; description?: string; inputSchema: unknown };

/** The tools that can be stored (a valid name once, a schema of at most 64 kB); the rest is skipped and logged. */
function usableTools(serverId: string, listed: ListedTool[]): ListedTool[] {
  const seen = new Set<string>();
  const skipped: { name: string; reason: string }[] = [];
  const out = listed.filter((t) => {
    const name = typeof t.name === "string" ? t.name : "";
    let reason = "";
    if (!TOOL_NAME.test(name)) reason = "name is not 1-128 characters of A-Z a-z 0-9 _ . : / -";
    else if (seen.has(name)) reason = "name listed twice";
    else {
      let bytes = Infinity;
      try {
        bytes = Buffer.byteLength(JSON.stringify(t.inputSchema ?? {}));
      } catch {
        // not serialisable: refused below
      }
      if (bytes > MAX_TOOL_SCHEMA_BYTES) reason = "inputSchema larger than 64 kB";
    }
    if (reason) skipped.push({ name: name.slice(0, 80), reason });
    else seen.add(name);
    return !reason;
  });
  if (skipped.length) logger.warn("mcp: tools skipped at discovery", { serverId, count: skipped.length, skipped: skipped.slice(0, 10) });
  return out;
}

async function discover(serverId: string, session: McpSession): Promise<Discovered> {
  const { client } = session;
  const opts = { timeout: DISCOVERY_TIMEOUT_MS };
  const capabilities = (client.getServerCapabilities() ?? {}) as Record<string, unknown>;
  // A server that declares nothing is still asked for its tools (older servers left capabilities out).
  const tools =
    capabilities.tools || !Object.keys(capabilities).length
      ? usableTools(
          serverId,
          await listAll(async (cursor) => {
            const r = await client.listTools(cursor ? { cursor } : {}, opts);
            return { items: r.tools, nextCursor: r.nextCursor };
          }),
        )
      : [];
  let resources: Record<string, unknown>[] = [];
  let templates: Record<string, unknown>[] = [];
  if (capabilities.resources) {
    resources = (
      await listAll(async (cursor) => {
        const r = await client.listResources(cursor ? { cursor } : {}, opts);
        return { items: r.resources, nextCursor: r.nextCursor };
      })
    )
      // A cut URI would name another resource: one too long is skipped.
      .filter((r) => typeof r.uri === "string" && r.uri.length <= 2048)
      .map((r) =>
        clean({
          uri: String(r.uri).slice(0, 2048),
          name: String(r.name).slice(0, 500),
          title: text(r.title, 500),
          description: text(r.description, 2000),
          mimeType: text(r.mimeType, 200),
        }),
      );
    // Templates are optional in the protocol: a server that does not answer them still has its resources.
    templates = await listAll(async (cursor) => {
      const r = await client.listResourceTemplates(cursor ? { cursor } : {}, opts);
      return { items: r.resourceTemplates, nextCursor: r.nextCursor };
    })
      .then((list) =>
        list
          .filter((t) => typeof t.uriTemplate === "string" && t.uriTemplate.length <= 2048)
          .map((t) =>
            clean({
              uriTemplate: String(t.uriTemplate).slice(0, 2048),
              name: String(t.name).slice(0, 500),
              title: text(t.title, 500),
              description: text(t.description, 2000),
              mimeType: text(t.mimeType, 200),
            }),
          ),
      )
      .catch(() => []);
  }
  const prompts = capabilities.prompts
    ? (
        await listAll(async (cursor) => {
          const r = await client.listPrompts(cursor ? { cursor } : {}, opts);
          return { items: r.prompts, nextCursor: r.nextCursor };
        })
      )
        // A cut name would not get the prompt: one outside 1-256 characters is skipped.
        .filter((p) => typeof p.name === "string" && p.name.length >= 1 && p.name.length <= 256)
        .map((p) =>
          clean({
            name: String(p.name).slice(0, 256),
            title: text(p.title, 500),
            description: text(p.description, 2000),
            arguments: (p.arguments ?? []).slice(0, 50).map((a) =>
              clean({
                name: String(a.name).slice(0, 256),
                description: text(a.description, 1000),
                required: a.required === true || undefined,
              }),
            ),
          }),
        )
    : [];
  return { info: client.getServerVersion(), capabilities, tools, resources, templates, prompts };
}

async function store(serverId: string, d: Discovered, at: Date) {
  await db.$transaction(async (tx) => {
    const names = d.tools.map((t) => t.name);
    // registry-neutral: MCP tools are not in the gateway's routing snapshot.
    await tx.mcpTool.deleteMany({ where: { serverId, name: { notIn: names } } });
    for (const [position, t] of d.tools.entries()) {
      const data = {
        description: (t.description ?? "").slice(0, 10_000),
        inputSchema: (t.inputSchema ?? {}) as Prisma.InputJsonValue,
        position,
      };
      // registry-neutral: MCP tools are not in the gateway's routing snapshot.
      await tx.mcpTool.upsert({
        where: { serverId_name: { serverId, name: t.name } },
        create: { serverId, name: t.name, ...data },
        update: data,
      });
    }
    const caps = d.capabilities;
    // registry-neutral: MCP servers are not in the gateway's routing snapshot.
    await tx.mcpServer.update({
      where: { id: serverId },
      data: {
        status: "active",
        lastError: "",
        statusAt: at,
        serverName: d.info?.name?.slice(0, 200) ?? null,
        serverVersion: d.info?.version?.slice(0, 100) ?? null,
        // Only what Switchboard reads: which lists exist and whether they announce changes.
        capabilities: Object.fromEntries(
          (["tools", "resources", "prompts"] as const)
            .filter((k) => caps[k])
            .map((k) => [k, { listChanged: (caps[k] as { listChanged?: unknown }).listChanged === true }]),
        ),
        resources: d.resources as Prisma.InputJsonValue,
        templates: d.templates as Prisma.InputJsonValue,
        prompts: d.prompts as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
  });
}

/**
 * Discovers the server again: through `session` when one is open (the watcher's live session), otherwise in a
 * session of its own (a stdio server's process started for it and ended after).
 */
export async function refreshMcpServer(serverId: string, opts: { session?: McpSession } = {}): Promise<RefreshResult> {
  const server = await db.mcpServer.findFirst({ where: { id: serverId }, select: targetSelect });
  if (!server) return { ok: false, error: "not found" };
  const at = new Date();
  let own: McpSession | undefined;
  try {
    let session = opts.session;
    if (!session) {
      own = await openServerSession(server, { timeoutMs: DISCOVERY_TIMEOUT_MS });
      session = own;
    }
    await store(serverId, await discover(serverId, session), at);
    return { ok: true };
  } catch (e) {
    const error = describeMcpError(e);
    logger.warn("mcp: discovery failed", { serverId, error });
    // registry-neutral: MCP servers are not in the gateway's routing snapshot.
    await db.mcpServer.updateMany({ where: { id: serverId }, data: { status: "failing", lastError: error, statusAt: at } });
    return { ok: false, error };
  } finally {
    await own?.close();
  }
}
