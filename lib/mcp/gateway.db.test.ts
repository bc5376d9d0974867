import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { startEverything, type EverythingServer } from "../testing/mcp-everything";
import { createVirtualKey } from "../virtual-keys/create-key";
import { refreshSnapshotNow } from "../gateway/snapshot";
import { matchLeanRoute } from "../dataplane/router";
import { createProvider } from "../providers/import-provider";
import { createCredentialIn } from "../credentials/create-credential";
import { createAgent } from "../agents/create-agent";
import { createNode } from "../agents/nodes";
import { assignConnector } from "../agents/assignments";
import { assignMcpServer, listMcpAssignments, removeMcpAssignment, updateMcpAssignment } from "../agents/mcp-assignments";
import { toolCallSink } from "../tools/record-call";
import { TOOL_NAME_PATTERN } from "../agents/tool-names";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import { createAdminToken } from "../tokens/admin-tokens";
import * as workerMcp from "../../app/api/admin/workers/[id]/mcp-servers/route";
import * as workerMcpById from "../../app/api/admin/workers/[id]/mcp-servers/[assignmentId]/route";
import * as skillMcp from "../../app/api/admin/skills/[id]/mcp-servers/route";
import * as nodeMcp from "../../app/api/admin/workflows/[id]/nodes/[nodeId]/mcp-servers/route";
import * as v1Route from "../../app/api/v1/[...path]/route";
import { createMcpServer } from "./create-server";
import { setMcpToolEnabled } from "./tools";

// Switchboard's own MCP server (/api/v1/mcp and /api/v1/mcp/workers/{id}) through the lean router on a real
// node:http server, with the SDK's own client: against @modelcontextprotocol/server-everything for MCP tools and
// a small local HTTP API for connector operations.

useTestDb();

let everything: EverythingServer;
let plane: http.Server;
let planeUrl = "";
let api: http.Server;
let apiPort = 0;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];

const DOC = {
  openapi: "3.0.3",
  info: { title: "Things API", version: "1.0" },
  servers: [{ url: "http://127.0.0.1:1/" }],
  paths: {
    "/things/{id}": {
      get: {
        operationId: "getThing",
        summary: "Read a thing",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
    },
    "/broken": { get: { operationId: "broken", summary: "Always fails", responses: { "500": { description: "no" } } } },
    "/off": { get: { operationId: "switchedOff", summary: "Switched off", responses: { "200": { description: "ok" } } } },
  },
};

beforeAll(async () => {
  everything = await startEverything("streamableHttp");
  api = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    if (req.url === "/broken") return res.writeHead(500, { "content-type": "application/json" }).end('{"error":"boom"}');
    res
      .writeHead(200, { "content-type": "application/json", "x-upstream-secret": "never-back" })
      .end(JSON.stringify({ url: req.url, ok: true }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  apiPort = (api.address() as AddressInfo).port;
  plane = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: `req_${crypto.randomBytes(8).toString("hex")}`, pathname });
  });
  await new Promise<void>((r) => plane.listen(0, "127.0.0.1", r));
  planeUrl = `http://127.0.0.1:${(plane.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await everything?.stop();
  api?.closeAllConnections();
  await Promise.all([new Promise((r) => plane?.close(r)), new Promise((r) => api?.close(r))]);
});

/** A workspace with a key, the everything server (one tool switched off) and a connector to the local API. */
async function setupWorkspace(serverName = "everything") {
  const ws = await createWorkspace();
  const { value: key } = await createVirtualKey({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `k-${suffix()}`, owner: "", allowedModels: [] },
  });
  const server = await createMcpServer({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: serverName, transport: "streamable-http", url: everything.url, headers: [], args: [], env: [], internal: true },
  });
  expect(server.status).toBe("active");
  await setMcpToolEnabled({ actor: tokenActor, serverId: server.id, name: "get-sum", enabled: false });
  const provider = await createProvider({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `Things ${suffix()}`, document: JSON.stringify(DOC) },
  });
  await db.providerOperation.updateMany({ where: { providerId: provider.id, operationId: "switchedOff" }, data: { enabled: false } });
  const upstreamToken = `upstream-${suffix()}`;
  const connector = await db.$transaction(async (tx) => {
    const cred = await createCredentialIn(tx, {
      actor: tokenActor,
      workspaceId: ws.id,
      input: { name: `things-${suffix()}`, kind: "api-key", description: "", value: upstreamToken },
    });
    return tx.connector.create({
      data: {
        workspaceId: ws.id,
        providerId: provider.id,
        name: "things",
        baseUrl: `http://127.0.0.1:${apiPort}`,
        internal: true,
        authMode: "bearer",
        authSettings: { secretIds: { value: cred.id } },
      },
    });
  });
  await refreshSnapshotNow();
  return { ws, key, server, connector, upstreamToken };
}

async function connect(path: string, key: string | null, headers: Record<string, string> = {}) {
  const client = new Client({ name: "gateway-test", version: "1" });
  const transport = new StreamableHTTPClientTransport(new URL(`${planeUrl}${path}`), {
    requestInit: { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } },
  });
  await client.connect(transport);
  return client;
}

const text = (r: Record<string, unknown>) => JSON.stringify(r.content ?? []);

describe("/api/v1/mcp", () => {
  let ctx: Awaited<ReturnType<typeof setupWorkspace>>;
  let ownTools: string[] = [];
  beforeAll(async () => {
    ctx = await setupWorkspace();
    // Another workspace with a server and a connector of its own: none of it may show.
    await setupWorkspace("elsewhere");
    const direct = new Client({ name: "direct", version: "1" });
    await direct.connect(new StreamableHTTPClientTransport(new URL(everything.url)));
    ownTools = (await direct.listTools()).tools.map((t) => t.name);
    await direct.close();
  }, 60_000);

  it("offers exactly the workspace's enabled tools: connector operations and MCP tools, prefixed and valid", async () => {
    const client = await connect("/api/v1/mcp", ctx.key);
    try {
      expect(client.getServerVersion()?.name).toBe("switchboard");
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      const expected = [
        "things__getThing",
        "things__broken",
        ...ownTools.filter((n) => n !== "get-sum").map((n) => `everything__${n.replace(/[^a-zA-Z0-9_-]/g, "_")}`),
      ];
      expect(names.sort()).toEqual(expected.sort());
      expect(names.some((n) => n.startsWith("elsewhere__"))).toBe(false);
      expect(names).not.toContain("everything__get-sum");
      expect(names).not.toContain("things__switchedOff");
      for (const t of tools) {
        expect(t.name).toMatch(TOOL_NAME_PATTERN);
        expect(t.inputSchema.type).toBe("object");
      }
      const echo = tools.find((t) => t.name === "everything__echo")!;
      expect(echo.inputSchema.properties).toHaveProperty("message");
      expect(tools.find((t) => t.name === "things__getThing")!.inputSchema).toMatchObject({ required: ["id"] });
    } finally {
      await client.close();
    }
  });

  it("calls an MCP tool and a connector operation, recorded with key and end user, without passing tokens through", async () => {
    const client = await connect("/api/v1/mcp", ctx.key, { "x-user-id": "user-42", "x-agent-id": "planner" });
    try {
      const echo = await client.callTool({ name: "everything__echo", arguments: { message: "through switchboard" } });
      expect(echo.isError).toBeFalsy();
      expect(text(echo)).toContain("through switchboard");

      seen.length = 0;
      const thing = await client.callTool({ name: "things__getThing", arguments: { id: "t-1" } });
      expect(thing.isError).toBeFalsy();
      expect(thing.structuredContent).toEqual({ url: "/things/t-1", ok: true });
      expect(text(thing)).not.toContain("never-back");
      // The connector's own credential went upstream, never the client's key.
      expect(seen[0].headers.authorization).toBe(`Bearer ${ctx.upstreamToken}`);
      expect(JSON.stringify(seen[0].headers)).not.toContain(ctx.key);

      const broken = await client.callTool({ name: "things__broken", arguments: {} });
      expect(broken.isError).toBe(true);
      expect(text(broken)).toContain("HTTP 500");
    } finally {
      await client.close();
    }
    const mcpCalls = await db.mcpCall.findMany({ where: { serverId: ctx.server.id, tool: "echo" } });
    expect(mcpCalls).toEqual([
      expect.objectContaining({ outcome: "ok", endUserId: "user-42", agent: "planner", keyId: expect.any(String) }),
    ]);
    await toolCallSink().flush();
    const connectorCalls = await db.connectorCall.findMany({ where: { connectorId: ctx.connector.id }, orderBy: { createdAt: "asc" } });
    expect(connectorCalls.map((c) => [c.operationId, c.status, c.endUserId, c.agent])).toEqual([
      ["getThing", 200, "user-42", "planner"],
      ["broken", 500, "user-42", "planner"],
    ]);
  });

  it("answers an unknown tool or bad arguments with JSON-RPC errors", async () => {
    const client = await connect("/api/v1/mcp", ctx.key);
    try {
      await expect(client.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } })).rejects.toMatchObject({ code: -32602 });
      await expect(client.callTool({ name: "nope__nothing", arguments: {} })).rejects.toThrow(/Unknown tool/);
      await expect(client.callTool({ name: "everything__echo", arguments: { message: 42 } })).rejects.toMatchObject({ code: -32602 });
      await expect(client.callTool({ name: "things__getThing", arguments: {} })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await client.close();
    }
  });

  it("refuses a missing or wrong key with 401, and answers GET and DELETE with 405", async () => {
    await expect(connect("/api/v1/mcp", null)).rejects.toThrow();
    await expect(connect("/api/v1/mcp", "sk-sb-not-a-real-key-123456")).rejects.toThrow();
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const none = await fetch(`${planeUrl}/api/v1/mcp`, { method: "POST", headers, body: JSON.stringify(init) });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe("invalid_api_key");
    const wrong = await fetch(`${planeUrl}/api/v1/mcp`, {
      method: "POST",
      headers: { ...headers, authorization: "Bearer sk-wrong-key-000000" },
      body: "{}",
    });
    expect(wrong.status).toBe(401);
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(`${planeUrl}/api/v1/mcp`, {
        method,
        headers: { authorization: `Bearer ${ctx.key}`, accept: "text/event-stream" },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
    // The same under `next dev` (app/api/v1): a tools/list, and 405 for GET.
    const dev = await v1Route.POST(
      new Request("http://localhost/api/v1/mcp", {
        method: "POST",
        headers: { ...headers, authorization: `Bearer ${ctx.key}`, "mcp-protocol-version": "2025-06-18" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      }),
    );
    expect(dev.status).toBe(200);
    expect((await dev.json()).result.tools.map((t: { name: string }) => t.name)).toContain("everything__echo");
    const devGet = await v1Route.GET(new Request("http://localhost/api/v1/mcp", { headers: { authorization: `Bearer ${ctx.key}` } }));
    expect(devGet.status).toBe(405);
    const bad = await fetch(`${planeUrl}/api/v1/mcp`, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${ctx.key}` },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe(-32700);
  });
});

describe("/api/v1/mcp/workers/{id} and MCP tool assignments", () => {
  it("offers exactly the worker's assigned tools; another workspace's worker is not found", async () => {
    const ctx = await setupWorkspace();
    const worker = await createAgent({ actor: tokenActor, kind: "worker", workspaceId: ctx.ws.id, input: { name: "triage" } });
    const target = { type: "worker" as const, workerId: worker.id };

    const empty = await connect(`/api/v1/mcp/workers/${worker.id}`, ctx.key);
    expect((await empty.listTools()).tools).toEqual([]);
    await empty.close();

    await assignConnector({ actor: tokenActor, target, input: { connectorId: ctx.connector.id, operationIds: ["getThing"] } });
    const a = await assignMcpServer({ actor: tokenActor, target, input: { serverId: ctx.server.id, toolNames: ["echo", "echo"] } });
    expect(a).toMatchObject({ server: { id: ctx.server.id, name: "everything" }, toolNames: ["echo"], targetType: "worker" });

    const client = await connect(`/api/v1/mcp/workers/${worker.id}`, ctx.key);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["things__getThing", "everything__echo"]);
      const r = await client.callTool({ name: "everything__echo", arguments: { message: "from the worker" } });
      expect(text(r)).toContain("from the worker");
      // Not assigned here, though the workspace has it.
      await expect(client.callTool({ name: "things__broken", arguments: {} })).rejects.toThrow(/Unknown tool/);
    } finally {
      await client.close();
    }
    const rec = await db.mcpCall.findFirst({ where: { serverId: ctx.server.id }, orderBy: { createdAt: "desc" } });
    expect(rec).toMatchObject({ agent: "triage", tool: "echo" });

    // Every enabled tool (empty list), and the REST tool list agrees with the MCP endpoint.
    await updateMcpAssignment({ actor: tokenActor, target, assignmentId: a.id, input: { toolNames: [] } });
    const list = await (
      await fetch(`${planeUrl}/api/v1/tools?worker=${worker.id}`, { headers: { authorization: `Bearer ${ctx.key}` } })
    ).json();
    const again = await connect(`/api/v1/mcp/workers/${worker.id}`, ctx.key);
    const mcpNames = (await again.listTools()).tools.map((t) => t.name);
    await again.close();
    expect(list.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(mcpNames);
    expect(mcpNames).not.toContain("everything__get-sum");
    expect(list.mcpPath).toBe(`/api/v1/mcp/workers/${worker.id}`);
    const echoBinding = list.data.find((d: { name: string }) => d.name === "everything__echo");
    expect(echoBinding).toEqual({
      kind: "mcp",
      name: "everything__echo",
      serverId: ctx.server.id,
      serverName: "everything",
      tool: "echo",
      callPath: `/api/v1/mcp/${ctx.server.id}/tools/echo`,
    });
    expect(list.data[0]).toMatchObject({ kind: "connector", operationId: "getThing" });

    const other = await setupWorkspace();
    const res = await fetch(`${planeUrl}/api/v1/mcp/workers/${worker.id}`, {
      method: "POST",
      headers: { authorization: `Bearer ${other.key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(404);

    await removeMcpAssignment({ actor: tokenActor, target, assignmentId: a.id });
    const audit = await db.auditEntry.findMany({
      where: { workspaceId: ctx.ws.id, action: { startsWith: "worker.mcp_server." } },
      orderBy: { at: "asc" },
    });
    expect(audit.map((e) => e.action)).toEqual(["worker.mcp_server.assign", "worker.mcp_server.update", "worker.mcp_server.unassign"]);
  }, 60_000);

  it("validates assignments: unknown or switched-off tools, skills must pick, duplicates, another workspace's server", async () => {
    const ctx = await setupWorkspace();
    const skill = await createAgent({ actor: tokenActor, kind: "skill", workspaceId: ctx.ws.id, input: { name: "research" } });
    const wf = await createAgent({ actor: tokenActor, kind: "workflow", workspaceId: ctx.ws.id, input: { name: "flow" } });
    const node = await createNode({ actor: tokenActor, workflowId: wf.id, input: { name: "fetch" } });
    const skillTarget = { type: "skill" as const, skillId: skill.id };
    await expect(assignMcpServer({ actor: tokenActor, target: skillTarget, input: { serverId: ctx.server.id } })).rejects.toMatchObject({
      code: "validation_failed",
      fields: [{ path: "toolNames", message: "Pick at least one tool" }],
    });
    await expect(
      assignMcpServer({
        actor: tokenActor,
        target: skillTarget,
        input: { serverId: ctx.server.id, toolNames: ["echo", "nope", "get-sum"] },
      }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      fields: [
        { path: "toolNames[1]", message: "The MCP server has no tool named nope" },
        { path: "toolNames[2]", message: "Tool get-sum is switched off" },
      ],
    });
    const other = await setupWorkspace();
    await expect(
      assignMcpServer({ actor: tokenActor, target: skillTarget, input: { serverId: other.server.id, toolNames: ["echo"] } }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    const nodeTarget = { type: "node" as const, workflowId: wf.id, nodeId: node.id };
    await assignMcpServer({ actor: tokenActor, target: nodeTarget, input: { serverId: ctx.server.id } });
    await expect(assignMcpServer({ actor: tokenActor, target: nodeTarget, input: { serverId: ctx.server.id } })).rejects.toMatchObject({
      code: "conflict",
    });
    const { actor: member } = await userInWorkspace("MEMBER", ctx.ws.id);
    await expect(
      assignMcpServer({ actor: member, target: skillTarget, input: { serverId: ctx.server.id, toolNames: ["echo"] } }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await listMcpAssignments({ actor: tokenActor, target: nodeTarget })).data).toHaveLength(1);
    expect(await db.mcpToolAssignment.count({ where: { skillId: skill.id } })).toBe(0);
  }, 60_000);

  it("applies mcpServers on workers, nodes and skills from the config file, idempotently, and exports them", async () => {
    const ctx = await setupWorkspace();
    const wsName = (await db.workspace.findUniqueOrThrow({ where: { id: ctx.ws.id }, select: { name: true } })).name;
    const actor = { type: "config" as const, source: "test" };
    const doc = {
      workers: [{ name: "cfg-worker", workspace: wsName, mcpServers: [{ server: "EVERYTHING", tools: ["echo"] }] }],
      workflows: [{ name: "cfg-flow", workspace: wsName, nodes: [{ name: "step", mcpServers: [{ server: "everything" }] }] }],
      skills: [{ name: "cfg-skill", workspace: wsName, mcpServers: [{ server: "everything", tools: ["echo", "get-env"] }] }],
    };
    const first = await applyConfig({ actor, doc });
    expect(first.changes.map((c) => c.action)).toEqual(["create", "create", "create"]);
    const rows = await db.mcpToolAssignment.findMany({ where: { workspaceId: ctx.ws.id }, select: { targetType: true, toolNames: true } });
    expect(rows.map((r) => `${r.targetType}:${r.toolNames.join(",")}`).sort()).toEqual(["node:", "skill:echo,get-env", "worker:echo"]);
    const second = await applyConfig({ actor, doc });
    expect(second.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);

    const exported = await exportConfig({ actor: tokenActor });
    const mine = (k: string) => (exported[k] as Record<string, unknown>[]).find((i) => i.workspace === wsName);
    expect(mine("workers")).toMatchObject({ name: "cfg-worker", mcpServers: [{ server: "everything", tools: ["echo"] }] });
    expect(mine("workflows")).toMatchObject({ nodes: [{ name: "step", mcpServers: [{ server: "everything" }] }] });
    expect(mine("skills")).toMatchObject({ mcpServers: [{ server: "everything", tools: ["echo", "get-env"] }] });

    // The list is the whole set: an empty one unassigns; a switched-off tool is reported where the file wrote it.
    const bad = { skills: [{ name: "cfg-skill", workspace: wsName, mcpServers: [{ server: "everything", tools: ["echo", "get-sum"] }] }] };
    await expect(applyConfig({ actor, doc: bad })).rejects.toMatchObject({
      fields: [expect.objectContaining({ path: "skills[0].mcpServers[0].tools[1]" })],
    });
    const unknown = { workers: [{ name: "cfg-worker", workspace: wsName, mcpServers: [{ server: "nowhere" }] }] };
    await expect(applyConfig({ actor, doc: unknown })).rejects.toMatchObject({
      fields: [expect.objectContaining({ path: "workers[0].mcpServers[0].server" })],
    });
    await applyConfig({ actor, doc: { workers: [{ name: "cfg-worker", workspace: wsName, mcpServers: [] }] } });
    expect(await db.mcpToolAssignment.count({ where: { workspaceId: ctx.ws.id, targetType: "worker" } })).toBe(0);
  }, 60_000);

  it("serves the assignment admin API with the right statuses and problem documents", async () => {
    const ctx = await setupWorkspace();
    const token = (await createAdminToken({ actor: tokenActor, input: { name: `mcp-assign-${suffix()}` } })).token;
    type Handler = (req: Request, c?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;
    const call = (handler: Handler, url: string, init: { method?: string; json?: unknown } = {}, params: Record<string, string> = {}) =>
      handler(
        new Request(`http://localhost${url}`, {
          method: init.method ?? "GET",
          ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        }),
        { params: Promise.resolve(params) },
      );
    const worker = await createAgent({ actor: tokenActor, kind: "worker", workspaceId: ctx.ws.id, input: { name: "api-worker" } });
    const skill = await createAgent({ actor: tokenActor, kind: "skill", workspaceId: ctx.ws.id, input: { name: "api-skill" } });
    const wf = await createAgent({ actor: tokenActor, kind: "workflow", workspaceId: ctx.ws.id, input: { name: "api-flow" } });
    const node = await createNode({ actor: tokenActor, workflowId: wf.id, input: { name: "n1" } });
    const url = `/api/admin/workers/${worker.id}/mcp-servers`;

    const created = await call(workerMcp.POST, url, { method: "POST", json: { serverId: ctx.server.id } }, { id: worker.id });
    expect(created.status).toBe(201);
    const a = await created.json();
    expect(a).toMatchObject({
      targetType: "worker",
      targetId: worker.id,
      server: { id: ctx.server.id, name: "everything" },
      toolNames: [],
    });
    const dup = await call(workerMcp.POST, url, { method: "POST", json: { serverId: ctx.server.id } }, { id: worker.id });
    expect(dup.status).toBe(409);
    const stray = await call(
      workerMcp.POST,
      url,
      { method: "POST", json: { serverId: ctx.server.id, tools: ["echo"] } },
      { id: worker.id },
    );
    expect(stray.status).toBe(422);
    const badTool = await call(
      workerMcpById.PATCH,
      `${url}/${a.id}`,
      { method: "PATCH", json: { toolNames: ["nope"] } },
      { id: worker.id, assignmentId: a.id },
    );
    expect(badTool.status).toBe(422);
    expect((await badTool.json()).errors).toEqual([
      expect.objectContaining({ path: "toolNames[0]", message: "The MCP server has no tool named nope" }),
    ]);
    const list = await (await call(workerMcp.GET, url, {}, { id: worker.id })).json();
    expect(list).toEqual({ data: [expect.objectContaining({ id: a.id })], nextCursor: null });

    const mustPick = await call(
      skillMcp.POST,
      `/api/admin/skills/${skill.id}/mcp-servers`,
      { method: "POST", json: { serverId: ctx.server.id } },
      { id: skill.id },
    );
    expect(mustPick.status).toBe(422);
    const other = await setupWorkspace();
    const foreign = await call(
      nodeMcp.POST,
      `/api/admin/workflows/${wf.id}/nodes/${node.id}/mcp-servers`,
      { method: "POST", json: { serverId: other.server.id } },
      { id: wf.id, nodeId: node.id },
    );
    expect(foreign.status).toBe(404);

    const gone = await call(workerMcpById.DELETE, `${url}/${a.id}`, { method: "DELETE" }, { id: worker.id, assignmentId: a.id });
    expect(gone.status).toBe(204);
    const again = await call(workerMcpById.DELETE, `${url}/${a.id}`, { method: "DELETE" }, { id: worker.id, assignmentId: a.id });
    expect(again.status).toBe(404);
  }, 60_000);
});
