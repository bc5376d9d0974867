import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

// @modelcontextprotocol/server-everything, started by tests on a free port with a scrubbed environment (one of
// its tools prints the environment it was given): only PATH and PORT.

const ENTRY = path.resolve(process.cwd(), "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export interface EverythingServer {
  port: number;
  /** The MCP endpoint: /mcp for Streamable HTTP, /sse for the old transport. */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startEverything(mode: "streamableHttp" | "sse" = "streamableHttp", port?: number): Promise<EverythingServer> {
  const p = port ?? (await freePort());
  let child: ChildProcess | null = null;
  const start = async () => {
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", PORT: String(p) } as unknown as NodeJS.ProcessEnv;
    const proc: ChildProcess = spawn(process.execPath, [ENTRY, mode], { env, stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("server-everything did not start in 20 s")), 20_000);
      let log = "";
      proc.stderr!.on("data", (d: Buffer) => {
        log += d.toString();
        if (/listening on port|running on port/i.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once("exit", (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`server-everything exited (${code}): ${log.slice(0, 500)}`));
      });
    });
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once("exit", () => r());
      c.kill("SIGKILL");
    });
  };
  await start();
  return { port: p, url: `http://127.0.0.1:${p}/${mode === "sse" ? "sse" : "mcp"}`, stop, start };
}
