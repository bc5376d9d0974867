import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { SERVER_ARGS, SERVER_ENV } from "../lib/node-flags";
import { startJsonUpstream } from "./support/upstream";

// Stopping and crashing the real server (dist/server.js, started as `npm start` starts it) on its own data
// directory, apart from the suite's server: a SIGTERM lets the calls in flight finish and meters them; a kill -9
// loses no usage record of an answered call (the usage journal is replayed at the next start).

const root = path.resolve(import.meta.dirname, "..");
const MODEL = "drain-model";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Instance {
  child: ChildProcess;
  base: string;
  log: string[];
  exited: Promise<number | null>;
}

class Deployment {
  readonly dir = path.join(root, "e2e", ".tmp", `shutdown-${crypto.randomBytes(4).toString("hex")}`);
  readonly dataDir = path.join(this.dir, "data");
  readonly workspaceKey = `sk-drain-${crypto.randomBytes(16).toString("hex")}`;
  readonly adminToken = `drain-admin-${crypto.randomBytes(16).toString("hex")}`;
  port = 0;

  constructor(private upstreamBase: string) {}

  async start(): Promise<Instance> {
    if (!this.port) {
      this.port = await freePort();
      fs.mkdirSync(this.dataDir, { recursive: true });
      fs.writeFileSync(
        path.join(this.dir, "config.yaml"),
        [
          "platforms:",
          "  - { name: drain-upstream, vendor: openai-compatible, baseUrl: " +
            this.upstreamBase +
            ', internal: true, keys: [{ value: "${env:DRAIN_UPSTREAM_KEY}" }] }',
          "models:",
          `  - { name: ${MODEL}, pricing: { inputPerMillion: 1, outputPerMillion: 2 }, contextWindow: 128000, maxOutputTokens: 4096, routes: [{ platform: drain-upstream, priority: 1 }] }`,
          "workspaces:",
          "  - name: drain",
          `    keys: [{ name: drain, value: "\${env:DRAIN_WORKSPACE_KEY}", models: [${MODEL}] }]`,
          "",
        ].join("\n"),
      );
    }
    const log: string[] = [];
    // What `npm start` runs (lib/node-flags.ts), with node itself as the child so signals reach the server.
    const child = spawn(process.execPath, [...SERVER_ARGS], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        PORT: String(this.port),
        HOST: "127.0.0.1",
        SWITCHBOARD_DATA_DIR: this.dataDir,
        SWITCHBOARD_CONFIG: path.join(this.dir, "config.yaml"),
        SWITCHBOARD_ADMIN_TOKEN: this.adminToken,
        ADMIN_EMAIL: "drain@example.test",
        ADMIN_PASSWORD: "drain-admin-password",
        DRAIN_UPSTREAM_KEY: "sk-upstream",
        DRAIN_WORKSPACE_KEY: this.workspaceKey,
        LOG_LEVEL: "info",
        NEXT_TELEMETRY_DISABLED: "1",
        ...SERVER_ENV,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const s of [child.stdout!, child.stderr!]) s.on("data", (c: Buffer) => log.push(c.toString("utf8")));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const base = `http://127.0.0.1:${this.port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null || i > 480) throw new Error(`the server did not start:\n${log.join("").slice(-3000)}`);
      const ok = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(250);
    }
    return { child, base, log, exited };
  }

  async stop(i: Instance): Promise<number | null> {
    i.child.kill("SIGTERM");
    return i.exited;
  }

  async workspaceId(i: Instance): Promise<string> {
    const res = await fetch(`${i.base}/api/admin/workspaces?q=drain`, { headers: { authorization: `Bearer ${this.adminToken}` } });
    const { data } = (await res.json()) as { data: { id: string; name: string }[] };
    return data.find((w) => w.name === "drain")!.id;
  }

  /** Usage records stored for these request ids (read with the server stopped: one process owns the database). */
  async storedRecords(requestIds: string[]): Promise<number> {
    const { PGlite } = await import("@electric-sql/pglite");
    const pg = new PGlite(path.join(this.dataDir, "pglite"));
    try {
      const r = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "UsageRecord" WHERE "requestId" = ANY($1::text[])`, [
        requestIds,
      ]);
      return r.rows[0].n;
    } finally {
      await pg.close();
    }
  }

  /** Records waiting in the usage journal (not yet committed when the process died). */
  journaledRecords(): number {
    const journals = path.join(this.dataDir, "usage-journal");
    if (!fs.existsSync(journals)) return 0;
    let n = 0;
    for (const d of fs.readdirSync(journals)) {
      for (const f of fs.readdirSync(path.join(journals, d)))
        n += fs
          .readFileSync(path.join(journals, d, f), "utf8")
          .split("\n")
          .filter(Boolean).length;
    }
    return n;
  }

  cleanup() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const chatBody = (content: string, stream = false) =>
  JSON.stringify({ model: MODEL, messages: [{ role: "user", content }], ...(stream ? { stream: true } : {}) });

function completion(model: string) {
  return JSON.stringify({
    id: "chatcmpl-up",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  });
}
const sse = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: "up", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** A POST over a given agent (to control which connection it takes); resolves with the whole answer. */
function post(
  base: string,
  pathName: string,
  body: string,
  headers: Record<string, string>,
  agent: http.Agent,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${pathName}`,
      { method: pathName.startsWith("/api/v1") ? "POST" : "GET", agent, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (req.method === "POST") req.end(body);
    else req.end();
  });
}

test.describe.configure({ mode: "serial", timeout: 240_000 });

test("SIGTERM: the calls in flight finish with 200, a drained connection hears 503 from /api/health, every call is metered", async () => {
  // Calls answer after 1.5 s ("long" after 5 s: the server is still draining when the stream is over); the stream
  // sends its first chunk at once and ends after 0.5 s.
  const upstream = await startJsonUpstream((body, _req, res) => {
    if (body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sse({ role: "assistant", content: "hel" }));
      setTimeout(() => res.end(sse({ content: "lo" }, "stop") + "data: [DONE]\n\n"), 500);
      return;
    }
    setTimeout(
      () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(completion(String(body.model)));
      },
      body.messages[0].content === "long" ? 5_000 : 1_500,
    );
  });
  const dep = new Deployment(upstream.base);
  try {
    const first = await dep.start();
    const auth = { authorization: `Bearer ${dep.workspaceKey}` };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const streamAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Our own request ids, so the records can be looked up whatever the calls end in.
    const run = crypto.randomBytes(4).toString("hex");
    const id = (name: string) => ({ ...auth, "x-request-id": `drain-${run}-${name}` });
    const ids = [...Array.from({ length: 10 }, (_, i) => `drain-${run}-call${i}`), `drain-${run}-long`, `drain-${run}-stream`];
    const t0 = Date.now();
    const calls = Array.from({ length: 10 }, (_, i) =>
      post(first.base, "/api/v1/chat/completions", chatBody(`call ${i}`), id(`call${i}`), agent).catch((e: Error) => e),
    );
    const long = post(first.base, "/api/v1/chat/completions", chatBody("long"), id("long"), new http.Agent()).catch((e: Error) => e);
    const stream = post(first.base, "/api/v1/chat/completions", chatBody("stream", true), id("stream"), streamAgent).catch((e: Error) => e);
    await sleep(400 - (Date.now() - t0));
    first.child.kill("SIGTERM");
    for (let i = 0; i < 100 && !first.log.join("").includes('"shutting down"'); i++) await sleep(50);
    // No new connections once draining.
    const fresh = await post(first.base, "/api/health", "", {}, new http.Agent()).catch((e: Error) => e);
    // The stream's head went out before the signal: it finishes, then its kept-alive connection takes one more request.
    const streamed = await stream;
    const health = await post(first.base, "/api/health", "", {}, streamAgent).catch((e: Error) => e);
    const results = await Promise.all([...calls, long]);
    const answered = (r: Awaited<typeof long>): r is Exclude<typeof r, Error> =>
      !(r instanceof Error) && r.status === 200 && JSON.parse(r.text).object === "chat.completion";
    const ok = results.filter(answered);
    const exitCode = await first.exited;
    const stoppedAfter = Date.now() - t0;
    console.log(
      `SIGTERM after 0.4 s: ${ok.length} of 11 calls answered 200 (10 of 1.5 s, one of 5 s), ${results.length - ok.length} failed ` +
        `(${results
          .filter((r) => r instanceof Error)
          .map((r) => (r as Error).message)
          .join(", ")}); the stream: ${streamed instanceof Error ? streamed.message : streamed.status}; ` +
        `health on the kept-alive connection: ${health instanceof Error ? health.message : `${health.status} ${health.text}`}; exit code ${exitCode} after ${stoppedAfter} ms`,
    );

    // Restarted on the same data directory: all twelve calls have their usage record.
    const second = await dep.start();
    const workspaceId = await dep.workspaceId(second);
    let found = 0;
    for (const rid of ids) {
      const res = await fetch(`${second.base}/api/admin/usage/requests/${rid}?workspaceId=${workspaceId}`, {
        headers: { authorization: `Bearer ${dep.adminToken}` },
      });
      if (res.ok) {
        const rec = (await res.json()) as { status: number; outcome: string };
        if (rec.status === 200 && rec.outcome === "success") found++;
      }
    }
    expect(await dep.stop(second)).toBe(0);
    // A clean stop commits everything, so the journal keeps nothing.
    const leftInJournal = dep.journaledRecords();
    console.log(
      `after restart: ${found} of ${ids.length} calls have a usage record of a 200 success; ${leftInJournal} records left in the journal after a clean stop`,
    );

    expect(fresh).toBeInstanceOf(Error);
    expect((fresh as Error).message).toMatch(/ECONNREFUSED/);
    expect(streamed instanceof Error ? streamed.message : streamed.text).toContain("data: [DONE]");
    expect(health instanceof Error ? health.message : health.status).toBe(503);
    if (!(health instanceof Error)) {
      expect(JSON.parse(health.text)).toEqual({ status: "shutting down" });
      expect(health.headers.connection).toBe("close");
    }
    expect(ok).toHaveLength(11);
    expect(exitCode).toBe(0);
    // Answers not begun when the drain started close their connection.
    expect(ok.every((r) => r.headers.connection === "close")).toBe(true);
    expect(found).toBe(ids.length);
    expect(leftInJournal).toBe(0);
    agent.destroy();
    streamAgent.destroy();
  } finally {
    upstream.server.close();
    dep.cleanup();
  }
});

test("kill -9 under load: every call answered 200 has its usage record after a restart", async () => {
  const upstream = await startJsonUpstream((body, _req, res) => {
    const data = completion(String(body.model));
    res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(data)) });
    res.end(data);
  });
  upstream.server.keepAliveTimeout = 65_000;
  const dep = new Deployment(upstream.base);
  try {
    const server = await dep.start();
    const auth = { authorization: `Bearer ${dep.workspaceKey}` };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const answered: string[] = [];
    let failed = 0;
    let running = true;
    // Eight connections, one call after another on each, until the process is gone.
    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        try {
          const r = await post(server.base, "/api/v1/chat/completions", chatBody(`w${w} ${i}`), auth, agent);
          if (r.status === 200 && JSON.parse(r.text).object === "chat.completion") answered.push(String(r.headers["x-request-id"]));
          else failed++;
        } catch {
          failed++;
          if (!running) return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await sleep(4_000);
    server.child.kill("SIGKILL");
    await server.exited;
    running = false;
    await Promise.all(workers);
    agent.destroy();
    // A loaded 2-core machine answers a few hundred to a few thousand in that time.
    expect(answered.length).toBeGreaterThan(100);

    const beforeReplay = await dep.storedRecords(answered);
    const journaled = dep.journaledRecords();
    // Restarted on the same data directory: the journal is replayed before the server serves.
    const again = await dep.start();
    const replayLog =
      again.log
        .join("")
        .split("\n")
        .find((l) => l.includes("usage journal replayed")) ?? "(no replay logged)";
    expect(await dep.stop(again)).toBe(0);
    const stored = await dep.storedRecords(answered);
    console.log(
      `kill -9 after 4 s at 8 connections: ${answered.length} calls answered 200 (${failed} failed: cut or refused at the kill); ` +
        `${beforeReplay} had a record in the database at the kill, ${journaled} records waited in the journal; ` +
        `after the restart ${stored} of ${answered.length} have one (${answered.length - stored} missing)\n  ${replayLog}`,
    );
    expect(stored).toBe(answered.length);
  } finally {
    upstream.server.close();
    dep.cleanup();
  }
});
