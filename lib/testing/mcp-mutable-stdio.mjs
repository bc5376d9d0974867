// A tiny stdio MCP server for the watcher's test: its tools are the names listed in the file given as the first
// argument (one per line, read at start and whenever the file changes). A name added while a client is connected
// is registered then, and the SDK announces notifications/tools/list_changed to that client.
import fs from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const file = process.argv[2];
const server = new McpServer({ name: "mutable", version: "1.0.0" }, { capabilities: { tools: { listChanged: true } } });
const known = new Set();

function sync() {
  let names = [];
  try {
    names = fs.readFileSync(file, "utf8").split(/\s+/).filter(Boolean);
  } catch {
    return;
  }
  for (const name of names) {
    if (known.has(name)) continue;
    known.add(name);
    server.registerTool(name, { description: `Tool ${name}` }, async () => ({ content: [{ type: "text", text: name }] }));
  }
}

sync();
await server.connect(new StdioServerTransport());
fs.watchFile(file, { interval: 100 }, sync);
// The client closed stdin: end (the file watcher would keep the process alive).
process.stdin.on("end", () => process.exit(0));
