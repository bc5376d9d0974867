import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ListPromptsRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { useTestDb, db } from "../testing/db";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { createMcpServer } from "./create-server";
import { updateMcpServer } from "./update-server";
import { startEverything, type EverythingServer } from "../testing/mcp-everything";
import { createAdminToken } from "../tokens/admin-tokens";
import { createVirtualKey } from "../virtual-keys/create-key";
import { refreshSnapshotNow } from "../gateway/snapshot";
import { matchLeanRoute } from "../dataplane/router";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import * as collection from "../../app/api/admin/mcp-servers/route";
import * as byId from "../../app/api/admin/mcp-servers/[id]/route";
import * as tools from "../../app/api/admin/mcp-servers/[id]/tools/route";
import * as toolByName from "../../app/api/admin/mcp-servers/[id]/tools/[name]/route";
import * as toolCall from "../../app/api/admin/mcp-servers/[id]/tools/[name]/call/route";
import * as refresh from "../../app/api/admin/mcp-servers/[id]/refresh/route";
import * as calls from "../../app/api/admin/mcp-servers/[id]/calls/route";

// MCP servers end to end against @modelcontextprotocol/server-everything (started here, scrubbed environment):
// the admin API in-process, the data plane through the lean router on a real node:http server.

useTestDb();

let everything: EverythingServer;
let plane: http.Server;
let planeUrl = "";
let token = "";

beforeAll(async () => {
  everything = await startEverything("streamableHttp");
  plane = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: `req_${crypto.randomBytes(8).toString("hex")}`, pathname });
  });
  await new Promise<void>((r) => plane.listen(0, "127.0.0.1", r));
  planeUrl = `http://127.0.0.1:${(plane.address() as AddressInfo).port}`;
  token = (await createAdminToken({ actor: tokenActor, input: { name: `mcp-${suffix()}` } })).token;
}, 30_000);

afterAll(async () => {
  await everything?.stop();
  await new Promise((r) => plane?.close(r));
});

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;
const call = (handler: Handler, url: string, init: RequestInit = {}, params: Record<string, string> = {}) =>
  handler(
    new Request(`http://localhost${url}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }),
    { params: Promise.resolve(params) },
  );

async function register(workspaceId: string, body: Record<string, unknown>) {
  const res = await call(collection.POST, `/api/admin/mcp-servers?workspaceId=${workspaceId}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function sdkTools(url: string) {
  const client = new Client({ name: "test", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const { tools: list } = await client.listTools();
  await client.close();
  return list;
}

describe("MCP servers", () => {
  it("registers a server, discovers exactly the server's own tools, and keeps the header value secret", async () => {
    const ws = await createWorkspace();
    const secret = `canary-${suffix()}`;
    const { status, body } = await register(ws.id, {
      name: "everything",
      url: everything.url,
      internal: true,
      headers: [{ name: "X-Api-Key", value: secret }],
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: "active", transport: "streamable-http", lastError: "" });
    expect(body.serverName).toBeTruthy();
    expect(body.headers).toEqual([{ name: "X-Api-Key", mask: expect.not.stringContaining(secret) }]);
    expect(JSON.stringify(body)).not.toContain(secret);

    const own = await sdkTools(everything.url);
    const listed = await (await call(tools.GET, `/api/admin/mcp-servers/${body.id}/tools`, {}, { id: body.id })).json();
    expect(listed.data.map((t: { name: string }) => t.name)).toEqual(own.map((t) => t.name));
    const echo = listed.data.find((t: { name: string }) => t.name === "echo");
    expect(echo).toMatchObject({ enabled: true, inputSchema: { type: "object", properties: { message: expect.any(Object) } } });
    expect(body.toolCount).toBe(own.length);

    const page = await (await call(collection.GET, `/api/admin/mcp-servers?workspaceId=${ws.id}`)).json();
    expect(page).toMatchObject({ data: [{ id: body.id, name: "everything" }], nextCursor: null });
    const audit = await db.auditEntry.findMany({ where: { targetId: body.id }, select: { action: true, changes: true } });
    expect(audit.map((a) => a.action)).toContain("mcp_server.create");
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("skips tools with an unusable name or an oversized input schema (and prompts and resources a cut would change), keeps the others", async () => {
    const schema = { type: "object" as const, properties: { q: { type: "string" } } };
    const listed = [
      { name: "search", inputSchema: schema },
      { name: "ns/docs:read-v1.2", inputSchema: schema },
      { name: "x".repeat(129), inputSchema: schema },
      { name: "has spaces", inputSchema: schema },
      { name: "", inputSchema: schema },
      { name: "search", description: "listed twice", inputSchema: schema },
      { name: "huge", inputSchema: { type: "object" as const, properties: { q: { type: "string", description: "d".repeat(70_000) } } } },
    ];
    // A stateless MCP server that lists what the test says.
    const odd = http.createServer((req, res) => {
      const server = new Server({ name: "odd", version: "1.0.0" }, { capabilities: { tools: {}, prompts: {}, resources: {} } });
      server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
      server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [{ name: "summarize" }, { name: "p".repeat(257) }] }));
      server.setRequestHandler(ListResourcesRequestSchema, async () => ({
        resources: [
          { uri: "file:///readme.md", name: "readme" },
          { uri: `file:///${"r".repeat(2050)}`, name: "long" },
        ],
      }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      void server
        .connect(transport)
        .then(() => transport.handleRequest(req, res))
        .catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((r) => odd.listen(0, "127.0.0.1", r));
    try {
      const ws = await createWorkspace();
      const { status, body } = await register(ws.id, {
        name: "odd",
        url: `http://127.0.0.1:${(odd.address() as AddressInfo).port}/mcp`,
        internal: true,
      });
      expect(status, JSON.stringify(body)).toBe(201);
      expect(body).toMatchObject({ status: "active", toolCount: 2 });
      const stored = await db.mcpTool.findMany({ where: { serverId: body.id }, select: { name: true }, orderBy: { position: "asc" } });
      expect(stored.map((t) => t.name)).toEqual(["search", "ns/docs:read-v1.2"]);
      const row = await db.mcpServer.findFirstOrThrow({ where: { id: body.id }, select: { prompts: true, resources: true } });
      expect((row.prompts as { name: string }[]).map((p) => p.name)).toEqual(["summarize"]);
      expect((row.resources as { name: string }[]).map((r) => r.name)).toEqual(["readme"]);
    } finally {
      odd.closeAllConnections();
      await new Promise((r) => odd.close(r));
    }
  });

  it("refuses a loopback URL unless the server is internal", async () => {
    const ws = await createWorkspace();
    const { status, body } = await register(ws.id, { name: "loop", url: everything.url });
    expect(status).toBe(422);
    expect(body.errors[0]).toMatchObject({ path: "url" });
    expect(await db.mcpServer.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("lets only Admins allow private addresses or move an internal server", async () => {
    const ws = await createWorkspace();
    const { actor: builder } = await userInWorkspace("BUILDER", ws.id);
    await expect(
      createMcpServer({
        actor: builder,
        workspaceId: ws.id,
        input: { name: "b", transport: "streamable-http", url: everything.url, headers: [], internal: true, args: [], env: [] },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const { body: server } = await register(ws.id, { name: "admin-made", url: everything.url, internal: true });
    await expect(updateMcpServer({ actor: builder, serverId: server.id, input: { url: "http://10.0.0.9/mcp" } })).rejects.toMatchObject({
      code: "forbidden",
    });
    const other = await createWorkspace();
    const { actor: stranger } = await userInWorkspace("ADMIN", other.id);
    await expect(updateMcpServer({ actor: stranger, serverId: server.id, input: { name: "x1" } })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("lets a Builder move a server with stored header values to another host only by giving them again", async () => {
    const ws = await createWorkspace();
    const { actor: builder } = await userInWorkspace("BUILDER", ws.id);
    const secret = `canary-${suffix()}`;
    const { status, body: server } = await register(ws.id, {
      name: "public-one",
      url: "https://mcp.example.invalid/mcp",
      headers: [{ name: "X-Api-Key", value: secret }],
    });
    expect(status).toBe(201);
    // Another host: the stored key would go there.
    await expect(
      updateMcpServer({ actor: builder, serverId: server.id, input: { url: "https://attacker.example.invalid/mcp" } }),
    ).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("X-Api-Key") });
    expect((await db.mcpServer.findUniqueOrThrow({ where: { id: server.id } })).url).toBe("https://mcp.example.invalid/mcp");
    // The same host, another path: allowed.
    await updateMcpServer({ actor: builder, serverId: server.id, input: { url: "https://mcp.example.invalid/v2/mcp" } });
    // Another host with the value given again (the Builder knows it): allowed.
    await updateMcpServer({
      actor: builder,
      serverId: server.id,
      input: { url: "https://other.example.invalid/mcp", headers: [{ name: "X-Api-Key", value: "builder-own-key" }] },
    });
    expect((await db.mcpServer.findUniqueOrThrow({ where: { id: server.id } })).url).toBe("https://other.example.invalid/mcp");
  });

  it("tries a tool from the console, switches it off and on, and records calls", async () => {
    const ws = await createWorkspace();
    const { body: server } = await register(ws.id, { name: "ev", url: everything.url, internal: true });
    const res = await call(
      toolCall.POST,
      `/api/admin/mcp-servers/${server.id}/tools/echo/call`,
      { method: "POST", body: JSON.stringify({ arguments: { message: "hello mcp" } }) },
      { id: server.id, name: "echo" },
    );
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.isError).toBe(false);
    expect(JSON.stringify(result.content)).toContain("hello mcp");

    const off = await call(
      toolByName.PATCH,
      `/api/admin/mcp-servers/${server.id}/tools/echo`,
      { method: "PATCH", body: JSON.stringify({ enabled: false }) },
      { id: server.id, name: "echo" },
    );
    expect(await off.json()).toMatchObject({ name: "echo", enabled: false });
    const refused = await call(
      toolCall.POST,
      `/api/admin/mcp-servers/${server.id}/tools/echo/call`,
      { method: "POST", body: JSON.stringify({ arguments: { message: "x" } }) },
      { id: server.id, name: "echo" },
    );
    expect(refused.status).toBe(409);
    // A refresh keeps the switch.
    await call(refresh.POST, `/api/admin/mcp-servers/${server.id}/refresh`, { method: "POST" }, { id: server.id });
    const after = await (await call(tools.GET, `/api/admin/mcp-servers/${server.id}/tools`, {}, { id: server.id })).json();
    expect(after.data.find((t: { name: string }) => t.name === "echo").enabled).toBe(false);

    const activity = await (await call(calls.GET, `/api/admin/mcp-servers/${server.id}/calls`, {}, { id: server.id })).json();
    // Tried by a person or admin token (actorId), not through a workspace key.
    expect(activity.data).toEqual([expect.objectContaining({ tool: "echo", outcome: "ok", keyId: null, actorId: expect.any(String) })]);
  });

  it("shows a stopped server as failing and recovers when it is back", async () => {
    const other = await startEverything("streamableHttp");
    try {
      const ws = await createWorkspace();
      const { body: server } = await register(ws.id, { name: "flaky", url: other.url, internal: true });
      expect(server.status).toBe("active");
      await other.stop();
      const down = await (
        await call(refresh.POST, `/api/admin/mcp-servers/${server.id}/refresh`, { method: "POST" }, { id: server.id })
      ).json();
      expect(down.status).toBe("failing");
      expect(down.lastError).not.toBe("");
      expect(down.toolCount).toBe(server.toolCount);
      await other.start();
      const up = await (
        await call(refresh.POST, `/api/admin/mcp-servers/${server.id}/refresh`, { method: "POST" }, { id: server.id })
      ).json();
      expect(up).toMatchObject({ status: "active", lastError: "" });
    } finally {
      await other.stop();
    }
  }, 60_000);

  it("falls back to HTTP+SSE when the server does not speak Streamable HTTP", async () => {
    const sse = await startEverything("sse");
    try {
      const ws = await createWorkspace();
      const { body: server } = await register(ws.id, { name: "old", url: sse.url, internal: true });
      expect(server).toMatchObject({ status: "active", lastError: "" });
      expect(server.toolCount).toBeGreaterThan(0);
    } finally {
      await sse.stop();
    }
  }, 60_000);

  it("calls a tool on the data plane with a workspace key; another workspace's key gets 404", async () => {
    const ws = await createWorkspace();
    const otherWs = await createWorkspace();
    const { body: server } = await register(ws.id, { name: "plane", url: everything.url, internal: true });
    const key = (
      await createVirtualKey({ actor: tokenActor, workspaceId: ws.id, input: { name: `k-${suffix()}`, owner: "", allowedModels: [] } })
    ).value;
    const foreign = (
      await createVirtualKey({ actor: tokenActor, workspaceId: otherWs.id, input: { name: `k-${suffix()}`, owner: "", allowedModels: [] } })
    ).value;
    await refreshSnapshotNow();
    const post = (k: string, tool: string, args: unknown) =>
      fetch(`${planeUrl}/api/v1/mcp/${server.id}/tools/${tool}`, {
        method: "POST",
        headers: { authorization: `Bearer ${k}`, "content-type": "application/json", "x-user-id": "u-1", "x-agent-id": "triage" },
        body: JSON.stringify(args),
      });
    const ok = await post(key, "echo", { message: "from the plane" });
    expect(ok.status).toBe(200);
    const result = await ok.json();
    expect(result).toMatchObject({ isError: false });
    expect(JSON.stringify(result.content)).toContain("from the plane");

    const sum = await (await post(key, "get-sum", { a: 2, b: 3 })).json();
    expect(JSON.stringify(sum.content)).toContain("5");

    const cross = await post(foreign, "echo", { message: "x" });
    expect(cross.status).toBe(404);
    expect((await cross.json()).error).toMatchObject({ code: "not_found" });
    expect((await post("sk-nope", "echo", {})).status).toBe(401);
    expect((await post(key, "no-such-tool", {})).status).toBe(404);

    const rows = await db.mcpCall.findMany({ where: { serverId: server.id }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.tool, r.outcome, r.endUserId, r.agent])).toEqual([
      ["echo", "ok", "u-1", "triage"],
      ["get-sum", "ok", "u-1", "triage"],
    ]);
    expect(rows[0].keyId).toBeTruthy();
  });

  it("applies the mcpServers config section idempotently and exports header values as placeholders", async () => {
    const wsName = `cfg-${suffix()}`;
    await createWorkspace({ name: wsName });
    const secret = `cfg-secret-${suffix()}`;
    const doc = {
      mcpServers: [
        {
          name: "everything",
          workspace: wsName,
          transport: "streamable-http",
          url: everything.url,
          internal: true,
          headers: [{ name: "Authorization", value: "${env:MCP_TEST_TOKEN}" }],
        },
      ],
    };
    const lookupEnv = (n: string) => (n === "MCP_TEST_TOKEN" ? `Bearer ${secret}` : undefined);
    const first = await applyConfig({ actor: { type: "config", source: "test" }, doc, lookupEnv });
    expect(first.changes).toEqual([expect.objectContaining({ section: "mcpServers", action: "create" })]);
    const second = await applyConfig({ actor: { type: "config", source: "test" }, doc, lookupEnv });
    expect(second.changes).toEqual([expect.objectContaining({ section: "mcpServers", action: "unchanged" })]);
    const exported = await exportConfig({ actor: tokenActor });
    const mine = (exported.mcpServers as Record<string, unknown>[]).find((s) => s.workspace === wsName);
    expect(mine).toMatchObject({ name: "everything", transport: "streamable-http", url: everything.url, internal: true });
    expect((mine!.headers as { value: string }[])[0].value).toMatch(/^\$\{env:SWITCHBOARD_SECRET_[A-Z0-9_]+\}$/);
    expect(JSON.stringify(exported)).not.toContain(secret);
  });

  it("deletes a server with its credentials", async () => {
    const ws = await createWorkspace();
    const { body: server } = await register(ws.id, {
      name: "gone",
      url: everything.url,
      internal: true,
      headers: [{ name: "X-Key", value: "v" }],
    });
    expect(await db.credential.count({ where: { workspaceId: ws.id } })).toBe(1);
    const res = await call(byId.DELETE, `/api/admin/mcp-servers/${server.id}`, { method: "DELETE" }, { id: server.id });
    expect(res.status).toBe(204);
    expect(await db.credential.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect((await call(byId.GET, `/api/admin/mcp-servers/${server.id}`, {}, { id: server.id })).status).toBe(404);
  });
});
