import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

// A private redis-server for a test, on a free port, with nothing persisted (`--save "" --appendonly no`): a
// restart comes back empty, as a Redis that lost its data does. Never the shared one on 6379.

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.setTimeout(200);
    s.on("connect", () => s.write("PING\r\n"));
    s.on("data", (d) => {
      s.destroy();
      resolve(d.toString().startsWith("+PONG"));
    });
    s.on("error", () => resolve(false));
    s.on("timeout", () => {
      s.destroy();
      resolve(false);
    });
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  /** Kills the server (SIGKILL: no goodbye on its connections' side beyond the socket closing). */
  stop(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open and nothing answers. */
  freeze(frozen: boolean): void;
}

export async function privateRedis(): Promise<PrivateRedis | null> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const r: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
      const c = child;
      const exited = new Promise<boolean>((res) => c.once("error", () => res(false)).once("exit", () => res(false)));
      for (let i = 0; i < 100; i++) {
        if (await Promise.race([answers(port), exited])) return;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error(`redis-server did not start on ${port}`);
    },
    freeze(frozen) {
      child?.kill(frozen ? "SIGSTOP" : "SIGCONT");
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((res) => c.once("exit", res));
      c.kill("SIGKILL");
      c.kill("SIGCONT");
      await gone;
    },
  };
  try {
    await r.start();
  } catch {
    await r.stop();
    return null;
  }
  return r;
}
