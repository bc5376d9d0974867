import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { useTestDb, db } from "../testing/db";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { createAdminToken } from "../tokens/admin-tokens";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import { createMcpServer } from "./create-server";
import { updateMcpServer } from "./update-server";
import { setStdioPolicyForTests } from "./stdio";
import { resetMcpWatcherForTests, stopMcpWatcher, syncMcpWatcher, watchedSessions } from "./watcher";
import { startMutableMcp } from "../testing/mcp-mutable-http";
import * as collection from "../../app/api/admin/mcp-servers/route";
import * as byId from "../../app/api/admin/mcp-servers/[id]/route";
import * as tools from "../../app/api/admin/mcp-servers/[id]/tools/route";
import * as toolCall from "../../app/api/admin/mcp-servers/[id]/tools/[name]/call/route";
import * as refresh from "../../app/api/admin/mcp-servers/[id]/refresh/route";
import * as resources from "../../app/api/admin/mcp-servers/[id]/resources/route";
import * as resourceRead from "../../app/api/admin/mcp-servers/[id]/resources/read/route";
import * as prompts from "../../app/api/admin/mcp-servers/[id]/prompts/route";
import * as promptGet from "../../app/api/admin/mcp-servers/[id]/prompts/get/route";

// stdio MCP servers (server-everything over stdio, and a tiny server whose tools change on demand), resources and
// prompts, and the watcher that refreshes a server when it announces its list changed.

useTestDb();

const NODE = process.execPath;
const EVERYTHING = path.resolve(process.cwd(), "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const MUTABLE = path.resolve(process.cwd(), "lib/testing/mcp-mutable-stdio.mjs");
let token = "";

beforeAll(async () => {
  token = (await createAdminToken({ actor: tokenActor, input: { name: `stdio-${suffix()}` } })).token;
});
afterEach(() => setStdioPolicyForTests({ enabled: true, commands: [NODE] }));
afterAll(async () => {
  await stopMcpWatcher();
  setStdioPolicyForTests(null);
});
setStdioPolicyForTests({ enabled: true, commands: [NODE] });

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;
const call = (handler: Handler, url: string, init: RequestInit = {}, params: Record<string, string> = {}) =>
  handler(
    new Request(`http://localhost${url}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }),
    { params: Promise.resolve(params) },
  );
const json = async (res: Response | Promise<Response>) => {
  const r = await res;
  return { status: r.status, body: await r.json() };
};

const register = (workspaceId: string, body: Record<string, unknown>) =>
  json(call(collection.POST, `/api/admin/mcp-servers?workspaceId=${workspaceId}`, { method: "POST", body: JSON.stringify(body) }));

async function ownLists() {
  const client = new Client({ name: "test", version: "1" });
  await client.connect(new StdioClientTransport({ command: NODE, args: [EVERYTHING, "stdio"], stderr: "ignore" }));
  try {
    return {
      tools: (await client.listTools()).tools.map((t) => t.name),
      resources: (await client.listResources()).resources.map((r) => r.uri),
      templates: (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate),
      prompts: (await client.listPrompts()).prompts.map((p) => p.name),
    };
  } finally {
    await client.close();
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("stdio MCP servers", () => {
  it("runs an allow-listed command with a scrubbed environment: its own tools, resources and prompts; calls return results", async () => {
    const ws = await createWorkspace();
    const secret = `stdio-canary-${suffix()}`;
    // Switchboard's own secrets in this process's environment: the child must not see them.
    const saved = { AUTH_SECRET: process.env.AUTH_SECRET, DATABASE_URL: process.env.DATABASE_URL };
    process.env.AUTH_SECRET = "auth-secret-canary";
    process.env.DATABASE_URL ??= "postgresql://canary@db.invalid/x";
    try {
      const { status, body } = await register(ws.id, {
        name: "everything-stdio",
        transport: "stdio",
        command: NODE,
        args: [EVERYTHING, "stdio"],
        env: [{ name: "CANARY_TOKEN", value: secret }],
      });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        status: "active",
        transport: "stdio",
        url: "",
        command: NODE,
        args: [EVERYTHING, "stdio"],
        lastError: "",
      });
      expect(body.env).toEqual([{ name: "CANARY_TOKEN", mask: expect.not.stringContaining(secret) }]);
      expect(JSON.stringify(body)).not.toContain(secret);
      expect(body.watched).toBe(true);

      const own = await ownLists();
      const listed = await json(call(tools.GET, `/api/admin/mcp-servers/${body.id}/tools`, {}, { id: body.id }));
      expect(listed.body.data.map((t: { name: string }) => t.name)).toEqual(own.tools);

      const echo = await json(
        call(
          toolCall.POST,
          `/api/admin/mcp-servers/${body.id}/tools/echo/call`,
          { method: "POST", body: JSON.stringify({ arguments: { message: "over stdio" } }) },
          { id: body.id, name: "echo" },
        ),
      );
      expect(echo.status).toBe(200);
      expect(JSON.stringify(echo.body.content)).toContain("over stdio");

      const printed = await json(
        call(
          toolCall.POST,
          `/api/admin/mcp-servers/${body.id}/tools/get-env/call`,
          { method: "POST", body: JSON.stringify({ arguments: {} }) },
          { id: body.id, name: "get-env" },
        ),
      );
      const childEnv = JSON.parse(printed.body.content[0].text) as Record<string, string>;
      expect(childEnv.CANARY_TOKEN).toBe(secret);
      expect(Object.keys(childEnv).filter((k) => k.startsWith("SWITCHBOARD_"))).toEqual([]);
      expect(process.env.SWITCHBOARD_ADMIN_TOKEN).toBeTruthy();
      expect(childEnv).not.toHaveProperty("DATABASE_URL");
      expect(childEnv).not.toHaveProperty("AUTH_SECRET");
      expect(JSON.stringify(childEnv)).not.toContain("auth-secret-canary");
      expect(Object.keys(childEnv).sort()).toEqual(
        ["CANARY_TOKEN", ...["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"].filter((k) => process.env[k] !== undefined)].sort(),
      );

      const res = await json(call(resources.GET, `/api/admin/mcp-servers/${body.id}/resources`, {}, { id: body.id }));
      expect(res.body.data.map((r: { uri: string }) => r.uri)).toEqual(own.resources);
      expect(res.body.templates.map((t: { uriTemplate: string }) => t.uriTemplate)).toEqual(own.templates);
      expect(res.body.templates.length).toBeGreaterThan(0);
      const pr = await json(call(prompts.GET, `/api/admin/mcp-servers/${body.id}/prompts`, {}, { id: body.id }));
      expect(pr.body.data.map((p: { name: string }) => p.name)).toEqual(own.prompts);
      expect(pr.body.data.find((p: { name: string }) => p.name === "args-prompt").arguments).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: "city", required: true })]),
      );

      const read = await json(
        call(
          resourceRead.POST,
          `/api/admin/mcp-servers/${body.id}/resources/read`,
          { method: "POST", body: JSON.stringify({ uri: "demo://resource/dynamic/text/7" }) },
          { id: body.id },
        ),
      );
      expect(read.status).toBe(200);
      expect(read.body.contents[0]).toMatchObject({ uri: "demo://resource/dynamic/text/7", text: expect.stringContaining("7") });
      const got = await json(
        call(
          promptGet.POST,
          `/api/admin/mcp-servers/${body.id}/prompts/get`,
          { method: "POST", body: JSON.stringify({ name: "args-prompt", arguments: { city: "Lisbon" } }) },
          { id: body.id },
        ),
      );
      expect(got.status).toBe(200);
      expect(JSON.stringify(got.body.messages)).toContain("Lisbon");

      const audit = await db.auditEntry.findMany({ where: { targetId: body.id }, select: { action: true, changes: true } });
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["mcp_server.create", "mcp_resource.read", "mcp_prompt.get"]));
      expect(JSON.stringify(audit)).not.toContain(secret);
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  }, 60_000);

  it("keeps a failing command's stderr for lastError, without the configured secrets", async () => {
    const ws = await createWorkspace();
    const secret = `leak-${suffix()}`;
    const { status, body } = await register(ws.id, {
      name: "crashes",
      transport: "stdio",
      command: NODE,
      args: ["-e", "console.error('boom: ' + process.env.LEAK); process.exit(3)"],
      env: [{ name: "LEAK", value: secret }],
    });
    expect(status).toBe(201);
    expect(body.status).toBe("failing");
    expect(body.lastError).toContain("boom: ***");
    expect(body.lastError).not.toContain(secret);
    expect(body.lastError.length).toBeLessThanOrEqual(500);
  }, 30_000);

  it("cuts off a command that writes to stdout without end: the server shows failing", async () => {
    const ws = await createWorkspace();
    const { body } = await register(ws.id, {
      name: "flood",
      transport: "stdio",
      command: NODE,
      args: ["-e", "const c = 'x'.repeat(1 << 20); const w = () => process.stdout.write(c, w); w(); setInterval(() => {}, 1000)"],
    });
    expect(body.status).toBe("failing");
    expect(body.lastError).not.toBe("");
  }, 60_000);

  it("refuses stdio when the operator has not enabled it, a command not on the list, and anyone but an Admin", async () => {
    const ws = await createWorkspace();
    const input = { name: "stdio-s", transport: "stdio", command: NODE, args: [EVERYTHING, "stdio"] };
    setStdioPolicyForTests({ enabled: false, commands: [NODE] });
    const off = await register(ws.id, input);
    expect(off.status).toBe(400);
    expect(off.body.errors[0]).toMatchObject({ path: "transport", message: expect.stringContaining("SWITCHBOARD_MCP_STDIO") });
    const list = await json(call(collection.GET, `/api/admin/mcp-servers?workspaceId=${ws.id}`));
    expect(list.body.stdio).toEqual({ enabled: false, commands: [NODE] });

    setStdioPolicyForTests({ enabled: true, commands: ["/usr/local/bin/mcp-fs", "uvx"] });
    const notListed = await register(ws.id, input);
    expect(notListed.status).toBe(400);
    expect(notListed.body.errors[0]).toMatchObject({ path: "command", message: expect.stringContaining("/usr/local/bin/mcp-fs, uvx") });
    // A bare name is not a path, and a relative path is refused by the schema.
    expect((await register(ws.id, { ...input, command: "node" })).status).toBe(400);
    const relative = await register(ws.id, { ...input, command: "./node" });
    expect(relative.status).toBe(422);
    expect(relative.body.errors[0]).toMatchObject({ path: "command" });
    expect((await register(ws.id, { ...input, url: "http://x.example/mcp" })).body.errors[0]).toMatchObject({ path: "url" });

    setStdioPolicyForTests({ enabled: true, commands: [NODE] });
    const { actor: builder } = await userInWorkspace("BUILDER", ws.id);
    await expect(
      createMcpServer({
        actor: builder,
        workspaceId: ws.id,
        input: { name: "b", transport: "stdio", url: "", command: NODE, args: [], env: [], headers: [], internal: false },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.mcpServer.count({ where: { workspaceId: ws.id } })).toBe(0);

    // An Admin's stdio server: a Builder may not change it; taken off the list, it stops running.
    const { body: server } = await register(ws.id, { ...input, args: [EVERYTHING, "stdio"] });
    expect(server.status).toBe("active");
    await expect(updateMcpServer({ actor: builder, serverId: server.id, input: { args: ["-e", "1"] } })).rejects.toMatchObject({
      code: "forbidden",
    });
    setStdioPolicyForTests({ enabled: true, commands: ["uvx"] });
    const after = await json(call(refresh.POST, `/api/admin/mcp-servers/${server.id}/refresh`, { method: "POST" }, { id: server.id }));
    expect(after.body).toMatchObject({ status: "failing", lastError: expect.stringContaining("not allowed") });
    const refused = await call(
      toolCall.POST,
      `/api/admin/mcp-servers/${server.id}/tools/echo/call`,
      { method: "POST", body: JSON.stringify({ arguments: { message: "x" } }) },
      { id: server.id, name: "echo" },
    );
    expect(refused.status).toBe(503);
  }, 60_000);

  it("applies stdio servers from the configuration file and exports env values as placeholders", async () => {
    const wsName = `cfg-stdio-${suffix()}`;
    await createWorkspace({ name: wsName });
    const secret = `cfg-env-${suffix()}`;
    const doc = {
      mcpServers: [
        {
          name: "local",
          workspace: wsName,
          transport: "stdio",
          command: NODE,
          args: [EVERYTHING, "stdio"],
          env: [{ name: "API_TOKEN", value: "${env:MCP_STDIO_TOKEN}" }],
        },
      ],
    };
    const lookupEnv = (n: string) => (n === "MCP_STDIO_TOKEN" ? secret : undefined);
    const first = await applyConfig({ actor: { type: "config", source: "test" }, doc, lookupEnv });
    expect(first.changes).toEqual([expect.objectContaining({ section: "mcpServers", action: "create" })]);
    const second = await applyConfig({ actor: { type: "config", source: "test" }, doc, lookupEnv });
    expect(second.changes).toEqual([expect.objectContaining({ section: "mcpServers", action: "unchanged" })]);
    const exported = await exportConfig({ actor: tokenActor });
    const mine = (exported.mcpServers as Record<string, unknown>[]).find((s) => s.workspace === wsName);
    expect(mine).toMatchObject({ name: "local", transport: "stdio", command: NODE, args: [EVERYTHING, "stdio"] });
    expect(mine).not.toHaveProperty("url");
    expect((mine!.env as { value: string }[])[0].value).toMatch(/^\$\{env:SWITCHBOARD_SECRET_[A-Z0-9_]+\}$/);
    expect(JSON.stringify(exported)).not.toContain(secret);

    setStdioPolicyForTests({ enabled: true, commands: [] });
    const other = { ...doc.mcpServers[0], name: "other" };
    await expect(applyConfig({ actor: { type: "config", source: "test" }, doc: { mcpServers: [other] }, lookupEnv })).rejects.toMatchObject(
      {
        fields: [expect.objectContaining({ path: "mcpServers[0].command" })],
      },
    );
  }, 60_000);

  it("keeps a live session with a server that announces list changes and refreshes it on one; closes it on delete", async () => {
    resetMcpWatcherForTests();
    const ws = await createWorkspace();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mcp-mut-")), "tools.txt");
    fs.writeFileSync(file, "first\n");
    const { body: server } = await register(ws.id, { name: "mutable", transport: "stdio", command: NODE, args: [MUTABLE, file] });
    expect(server).toMatchObject({ status: "active", toolCount: 1, watched: true });

    await syncMcpWatcher();
    await until("the live session", async () => watchedSessions().find((w) => w.id === server.id && w.open));
    fs.appendFileSync(file, "second\n");
    const names = await until("the new tool", async () => {
      const rows = await db.mcpTool.findMany({ where: { serverId: server.id }, orderBy: { position: "asc" } });
      return rows.length === 2 && rows.map((r) => r.name);
    });
    expect(names).toEqual(["first", "second"]);
    // One session was used: the refresh went through it, no second process.
    expect(watchedSessions().find((w) => w.id === server.id)?.connects).toBe(1);

    // A change to how the server is run closes the session; the next sync opens one with the new settings.
    await updateMcpServer({ actor: tokenActor, serverId: server.id, input: { args: [MUTABLE, file, "--again"] } });
    expect(watchedSessions().find((w) => w.id === server.id)).toBeUndefined();
    await syncMcpWatcher();
    await until("the new session", async () => watchedSessions().find((w) => w.id === server.id && w.open));

    const del = await call(byId.DELETE, `/api/admin/mcp-servers/${server.id}`, { method: "DELETE" }, { id: server.id });
    expect(del.status).toBe(204);
    expect(watchedSessions().find((w) => w.id === server.id)).toBeUndefined();
    await syncMcpWatcher();
    expect(watchedSessions().find((w) => w.id === server.id)).toBeUndefined();
  }, 60_000);

  it("pings the live sessions in parallel, at most 16 at once", async () => {
    resetMcpWatcherForTests();
    // Each ping is answered after a second: one after another, 20 of them would hold a sync for 20 s.
    const slow = await startMutableMcp(["first"], { pingDelayMs: 1000 });
    try {
      const ws = await createWorkspace();
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const { body } = await register(ws.id, { name: `slow-${i}`, url: slow.url, internal: true });
        expect(body).toMatchObject({ status: "active", watched: true });
        ids.push(body.id);
      }
      await syncMcpWatcher();
      await until("the live sessions", async () => ids.every((id) => watchedSessions().find((w) => w.id === id && w.open)));
      // This sync pings every open session.
      await syncMcpWatcher();
      expect(slow.maxConcurrentPings()).toBeGreaterThan(1);
      expect(slow.maxConcurrentPings()).toBeLessThanOrEqual(16);
      expect(ids.every((id) => watchedSessions().find((w) => w.id === id)?.open)).toBe(true);
    } finally {
      await stopMcpWatcher();
      await slow.stop();
    }
  }, 90_000);

  it("watches a Streamable HTTP server: a list change over its event stream, and a restart picked up with the changes made meanwhile", async () => {
    resetMcpWatcherForTests();
    const mutable = await startMutableMcp(["first"]);
    try {
      const ws = await createWorkspace();
      const { body: server } = await register(ws.id, { name: "mutable-http", url: mutable.url, internal: true });
      expect(server).toMatchObject({ status: "active", toolCount: 1, watched: true });
      const toolNames = async () =>
        (await db.mcpTool.findMany({ where: { serverId: server.id }, orderBy: { position: "asc" } })).map((t) => t.name);

      await syncMcpWatcher();
      await until("the live session", async () => watchedSessions().find((w) => w.id === server.id && w.open));
      // The event stream where notifications come is open.
      await until("the event stream", async () => mutable.streams() > 0);
      mutable.addTool("second");
      expect(await until("the new tool", async () => (await toolNames()).length === 2 && toolNames())).toEqual(["first", "second"]);

      // Down: the next sync's ping loses the session. Back with a tool added meanwhile: the watcher reconnects
      // (backoff from 1 s) and refreshes, without waiting for the scheduled refresh.
      await mutable.stop();
      await syncMcpWatcher();
      expect(watchedSessions().find((w) => w.id === server.id)?.open).toBe(false);
      mutable.addTool("third");
      await mutable.start();
      await until("the session back", async () => watchedSessions().find((w) => w.id === server.id && w.open), 30_000);
      expect(await until("the tool added while down", async () => (await toolNames()).length === 3 && toolNames())).toEqual([
        "first",
        "second",
        "third",
      ]);
    } finally {
      await stopMcpWatcher();
      await mutable.stop();
    }
  }, 90_000);
});
