import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

// An MCP server over Streamable HTTP whose tools the test changes: addTool registers a tool in every session, and
// the SDK announces notifications/tools/list_changed on each session's event stream. It can be stopped and
// started again on the same port (sessions are forgotten, as a restarted server would). With `pingDelayMs` it
// answers each ping that much later and counts how many were waiting at once.

export interface MutableMcp {
  url: string;
  addTool(name: string): void;
  /** GET event streams opened so far (a client listening for notifications). */
  streams(): number;
  /** The most pings waiting for their answer at the same time (with `pingDelayMs`). */
  maxConcurrentPings(): number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startMutableMcp(initial: string[] = ["first"], opts: { pingDelayMs?: number } = {}): Promise<MutableMcp> {
  const names = [...initial];
  let servers = new Set<McpServer>();
  let transports = new Map<string, StreamableHTTPServerTransport>();
  let streams = 0;
  let pings = 0;
  let maxPings = 0;
  const register = (s: McpServer, name: string) =>
    s.registerTool(name, { description: `Tool ${name}` }, async () => ({ content: [{ type: "text", text: name }] }));
  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let parsed: unknown;
    if (opts.pingDelayMs && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      if ((parsed as { method?: string }).method === "ping") {
        pings++;
        maxPings = Math.max(maxPings, pings);
        res.once("close", () => pings--);
        await new Promise((r) => setTimeout(r, opts.pingDelayMs));
      }
    }
    const sid = req.headers["mcp-session-id"] as string | undefined;
    let transport = sid ? transports.get(sid) : undefined;
    if (!transport) {
      if (sid) return void res.writeHead(404).end();
      const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, t),
      });
      const server = new McpServer({ name: "mutable-http", version: "1.0.0" }, { capabilities: { tools: { listChanged: true } } });
      for (const n of names) register(server, n);
      servers.add(server);
      await server.connect(t);
      transport = t;
    }
    if (req.method === "GET") streams++;
    await transport.handleRequest(req, res, parsed);
  };
  let srv: http.Server | null = null;
  let port = 0;
  const start = async () => {
    srv = http.createServer((req, res) => void handler(req, res).catch(() => res.writeHead(500).end()));
    await new Promise<void>((r) => srv!.listen(port, "127.0.0.1", r));
    port = (srv.address() as AddressInfo).port;
  };
  const stop = async () => {
    const s = srv;
    srv = null;
    if (!s) return;
    for (const server of servers) await server.close().catch(() => {});
    servers = new Set();
    transports = new Map();
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    addTool(name) {
      names.push(name);
      for (const s of servers) if (s.isConnected()) register(s, name);
    },
    streams: () => streams,
    maxConcurrentPings: () => maxPings,
    stop,
    start,
  };
}
