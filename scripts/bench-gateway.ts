// npm run bench:gateway - throughput and latency of the gateway against a local OpenAI-format upstream, next to the
// Portkey gateway and to the upstream called directly (issue 5, "Benchmark"). Not a timed test: it prints figures
// and how they compare with the targets.
//
//   npm run bench:gateway [-- --duration=15 --warmup=2 --connections=32 --only=direct,portkey,bare,switchboard --console --readers --rate=N]
//
// "bare proxy" is node:http + undici passing requests through with no gateway logic at all: the ceiling of a
// Node.js gateway on this machine, shown for reference (it has no target).
//
// --readers: while Switchboard is under load, an admin reads its Logs and Usage pages' data the whole time (one
// request after another: the recent requests of the workspace and its usage by user), as a console in use would.
//
// Peers it uses when installed (dev dependencies): autocannon (load), @portkey-ai/gateway with
// @hono/node-server@1.13.5 (the gateway to compare with). Switchboard runs from the production build
// (`npm run build` first) on a temporary embedded database, configured by a generated config file.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { SERVER_ENTRY, SERVER_ENV, SERVER_NODE_FLAGS } from "../lib/node-flags";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

const MODEL = "bench-model";
const UPSTREAM_MODEL = "bench-upstream";
const TARGETS = { vsPortkey: 10, vsDirect: 0.25, p99Ms: 25, rssMb: 300 };

// ---------- The upstream: OpenAI's wire format, a fixed small completion (and its SSE variant) ----------

function completion(model: string) {
  return JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: "Hello from the bench upstream." }, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  });
}

function sseChunks(model: string): string {
  const base = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model };
  const words = ["Hello", " from", " the", " bench", " upstream."];
  const events = [
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
    ...words.map((w) => ({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { ...base, choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } },
  ];
  return events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") + "data: [DONE]\n\n";
}

function runUpstream(port: number) {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url?.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: UPSTREAM_MODEL, object: "model" }] }));
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error", code: null } }));
      return;
    }
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      let body: { model?: string; stream?: boolean } = {};
      try {
        body = JSON.parse(Buffer.concat(parts).toString("utf8"));
      } catch {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "bad json", type: "invalid_request_error", code: null } }));
        return;
      }
      const model = body.model ?? UPSTREAM_MODEL;
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        res.end(sseChunks(model));
      } else {
        const data = completion(model);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(data) });
        res.end(data);
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, "127.0.0.1", () => process.send?.({ port: (server.address() as net.AddressInfo).port }));
  process.on("disconnect", () => process.exit(0));
}

// ---------- The ceiling: a bare pass-through proxy (no auth, validation, routing, limits or metering) ----------

// node:http in front of an undici pool, forwarding the body as it came and the answer as it comes: what any
// Node.js gateway costs before it does anything. Shown beside Switchboard so that its overhead reads against it.
function runBareProxy(upstreamPort: number) {
  const { Pool } = require("undici") as typeof import("undici");
  const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 64 });
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", async () => {
      try {
        const up = await pool.request({
          path: "/v1/chat/completions",
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer sk-bench-upstream" },
          body: Buffer.concat(parts),
        });
        const type = String(up.headers["content-type"] ?? "application/json");
        if (type.startsWith("text/event-stream")) {
          res.writeHead(up.statusCode, { "content-type": type, "cache-control": "no-cache" });
          for await (const chunk of up.body) res.write(chunk);
          res.end();
        } else {
          const data = await up.body.text();
          res.writeHead(up.statusCode, { "content-type": type, "content-length": Buffer.byteLength(data) });
          res.end(data);
        }
      } catch {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as net.AddressInfo).port }));
  process.on("disconnect", () => process.exit(0));
}

// ---------- Process handling: every child is killed when the script ends, however it ends ----------

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

function cleanup() {
  for (const c of children)
    if (c.exitCode === null && c.pid) {
      try {
        // Children are started in their own process group, so their own children (the migration process) go too.
        process.kill(-c.pid, "SIGTERM");
      } catch {
        c.kill("SIGTERM");
      }
    }
  children.clear();
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  tempDirs.length = 0;
}

function track(child: ChildProcess, name: string, log: string[]): ChildProcess {
  children.add(child);
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString("utf8"));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", () => children.delete(child));
  child.on("error", (e) => log.push(`${name}: ${e.message}`));
  return child;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess, log: string[], timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited (code ${child.exitCode}) before it was ready:\n${log.join("").slice(-3000)}`);
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} was not ready after ${Math.round(timeoutMs / 1000)} s:\n${log.join("").slice(-3000)}`);
}

const tcpOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });

/** Starts this script in one of its helper modes (`--upstream`, `--bare-proxy=<upstream port>`); resolves its port. */
async function startHelper(mode: string): Promise<{ port: number; pid: number }> {
  const log: string[] = [];
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, mode], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  track(child, mode, log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} did not start:\n${log.join("")}`)), 15_000);
    child.once("message", (m: { port: number }) => (clearTimeout(timer), resolve({ port: m.port, pid: child.pid! })));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`${mode} exited (${code}):\n${log.join("")}`))));
  });
}

// ---------- Peers ----------

function hasPackage(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return fs.existsSync(path.join(root, "node_modules", name));
  }
}

async function startPortkey(upstreamPort: number): Promise<{ url: string; headers: Record<string, string> } | null> {
  const entry = path.join(root, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js");
  if (!fs.existsSync(entry)) {
    console.log("! Portkey gateway: peer missing (node_modules/@portkey-ai/gateway). Install it with:");
    console.log("    npm i -D @portkey-ai/gateway @hono/node-server@1.13.5");
    return null;
  }
  const port = await freePort();
  const log: string[] = [];
  const child = track(
    spawn(process.execPath, [entry, `--port=${port}`, "--headless"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true }),
    "portkey",
    log,
  );
  await waitFor("The Portkey gateway", () => tcpOpen(port), child, log, 60_000);
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: {
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": `http://127.0.0.1:${upstreamPort}/v1`,
      authorization: "Bearer sk-bench-upstream",
    },
  };
}

function benchConfig(upstreamPort: number): string {
  // ARCHITECTURE.md section 6's file shape; secrets as ${env:...} references.
  return [
    "platforms:",
    "  - name: bench-upstream",
    "    vendor: openai-compatible",
    `    baseUrl: http://127.0.0.1:${upstreamPort}/v1`,
    "    internal: true",
    "    keys:",
    '      - { value: "${env:BENCH_UPSTREAM_KEY}", description: bench }',
    "models:",
    `  - name: ${MODEL}`,
    "    pricing: { inputPerMillion: 1, outputPerMillion: 2 }",
    "    contextWindow: 128000",
    "    maxOutputTokens: 4096",
    "    features: [streaming]",
    "    routes:",
    `      - { platform: bench-upstream, priority: 1, upstreamModel: ${UPSTREAM_MODEL} }`,
    "workspaces:",
    "  - name: bench",
    "    keys:",
    `      - { name: bench, value: "\${env:BENCH_WORKSPACE_KEY}", models: [${MODEL}] }`,
    "",
  ].join("\n");
}

interface Switchboard {
  url: string;
  headers: Record<string, string>;
  pid: number;
  child: ChildProcess;
  base: string;
  adminToken: string;
  dataDir: string;
}

async function startSwitchboard(upstreamPort: number): Promise<Switchboard | null> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID")) || !fs.existsSync(path.join(root, "dist", "server.js"))) {
    console.log("! Switchboard: no production build. Run `npm run build` first.");
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-"));
  tempDirs.push(dir);
  const configFile = path.join(dir, "bench.yaml");
  fs.writeFileSync(configFile, benchConfig(upstreamPort));
  const port = await freePort();
  const workspaceKey = `sk-sb-bench-${crypto.randomBytes(18).toString("hex")}`;
  const adminToken = `bench-admin-${crypto.randomBytes(18).toString("hex")}`;
  const log: string[] = [];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    SWITCHBOARD_DATA_DIR: path.join(dir, "data"),
    SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SWITCHBOARD_CONFIG: configFile,
    // The embedded default, with auth, routing and metering on: no DATABASE_URL, no REDIS_URL.
    ADMIN_EMAIL: "bench@example.test",
    ADMIN_PASSWORD: crypto.randomBytes(12).toString("hex"),
    BENCH_UPSTREAM_KEY: "sk-bench-upstream",
    BENCH_WORKSPACE_KEY: workspaceKey,
    SWITCHBOARD_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ...SERVER_ENV,
  };
  // The node process itself is the server (no npm/sh in between), so its pid is the one whose memory we read. It
  // gets the flags and environment `npm start` gives it (lib/node-flags.ts), then --node-args (a later flag wins).
  const nodeArgs = (arg("node-args") ?? "").split(" ").filter(Boolean);
  const child = track(
    spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, SERVER_ENTRY], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    }),
    "switchboard",
    log,
  );
  try {
    await waitFor(
      "Switchboard",
      async () => (await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) })).ok,
      child,
      log,
      180_000,
    );
  } catch (e) {
    const text = log.join("");
    if (/workspaces\[0\]\.keys|Unknown field.*keys/.test(text)) {
      console.log("! Switchboard: this build's configuration file has no `workspaces[].keys` yet (workspace keys feature), so the");
      console.log("  benchmark cannot create its workspace key. Merge the workspace keys feature, then run again.");
      return null;
    }
    throw e;
  }
  if (process.argv.includes("--server-log"))
    for (const s of [child.stdout, child.stderr]) s?.on("data", (c: Buffer) => process.stderr.write(c));
  // Next.js loads on the first console request; an API-only instance never has it. --console loads it first, so
  // the memory figure is that of an instance whose console is also in use.
  if (process.argv.includes("--console")) {
    const t0 = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/login`, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    console.log(`Console loaded first (GET /login: ${res.status} in ${Date.now() - t0} ms, Next.js included)\n`);
  }
  return {
    url: `http://127.0.0.1:${port}/api/v1/chat/completions`,
    headers: { authorization: `Bearer ${workspaceKey}` },
    pid: child.pid!,
    child,
    dataDir: env.SWITCHBOARD_DATA_DIR!,
    base: `http://127.0.0.1:${port}`,
    adminToken,
  };
}

/**
 * Stops Switchboard the way an operator would (SIGTERM) and waits for it to exit: it writes the usage records
 * still queued before it closes its database. Returns how long that took, or null if it had to be killed.
 */
async function stopSwitchboard(sb: Switchboard, timeoutMs = 120_000): Promise<number | null> {
  const t0 = Date.now();
  if (sb.child.exitCode !== null) return 0;
  const exited = new Promise<void>((resolve) => sb.child.once("exit", () => resolve()));
  sb.child.kill("SIGTERM");
  const clean = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!clean) {
    sb.child.kill("SIGKILL");
    await exited;
    return null;
  }
  return Date.now() - t0;
}

/** Usage records in a stopped Switchboard's embedded database (to check that none was lost). */
async function countUsageRecords(dataDir: string): Promise<number | null> {
  try {
    const { PGlite } = (await import("@electric-sql/pglite")) as typeof import("@electric-sql/pglite");
    const pg = new PGlite(path.join(dataDir, "pglite"));
    try {
      const r = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "UsageRecord"`);
      return r.rows[0].n;
    } finally {
      await pg.close();
    }
  } catch (e) {
    console.log(`! could not count usage records: ${(e as Error).message}`);
    return null;
  }
}

// ---------- Load ----------

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  cpuUsPerRequest?: number;
}

type Autocannon = (opts: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}>;

function body(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    messages: [{ role: "user", content: "Say hello." }],
    max_tokens: 16,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

/** One request first, so a broken path is reported as such instead of as 15 s of errors. */
async function probe(name: string, url: string, headers: Record<string, string>, model: string, stream: boolean): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: body(model, stream),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) return `${name} answered ${res.status}: ${text.slice(0, 300)}`;
    if (stream ? !text.includes("data: [DONE]") : !text.includes('"chat.completion"'))
      return `${name} answered 200 without a ${stream ? "complete stream" : "chat.completion"}: ${text.slice(0, 300)}`;
    return null;
  } catch (e) {
    return `${name} failed: ${(e as Error).message}`;
  }
}

async function drive(
  autocannon: Autocannon,
  url: string,
  headers: Record<string, string>,
  model: string,
  stream: boolean,
  opts: { connections: number; duration: number; rate?: number },
): Promise<Figures> {
  const r = await autocannon({
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    url,
    method: "POST",
    connections: opts.connections,
    duration: opts.duration,
    timeout: 10,
    headers: { "content-type": "application/json", ...headers },
    body: body(model, stream),
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    requests: r.requests.total,
  };
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
function cpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

interface ReadStats {
  reads: number;
  failed: number;
  meanMs: number;
  maxMs: number;
}

/**
 * --readers: an admin reading the console's data (Logs: the workspace's recent requests; Usage: by user) one
 * request after another until `until` settles. Returns how many reads were answered and how long they took.
 */
async function readConsole(sb: Switchboard, until: Promise<unknown>): Promise<ReadStats> {
  const headers = { authorization: `Bearer ${sb.adminToken}` };
  const list = (await (await fetch(`${sb.base}/api/admin/workspaces?q=bench`, { headers })).json()) as {
    data: { id: string; name: string }[];
  };
  const ws = list.data.find((w) => w.name === "bench");
  if (!ws) throw new Error("--readers: the bench workspace is not listed");
  const paths = [`/api/admin/usage/requests?workspaceId=${ws.id}&limit=100`, `/api/admin/usage?workspaceId=${ws.id}&groupBy=user`];
  let stopped = false;
  const stop = () => (stopped = true);
  void until.then(stop, stop);
  let reads = 0;
  let failed = 0;
  let total = 0;
  let maxMs = 0;
  while (!stopped) {
    const t0 = performance.now();
    const res = await fetch(sb.base + paths[reads % paths.length], { headers }).catch(() => null);
    if (res) await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res?.ok) reads++;
    else failed++;
    total += ms;
    maxMs = Math.max(maxMs, ms);
  }
  return { reads, failed, meanMs: reads + failed ? total / (reads + failed) : 0, maxMs };
}

/** `work`'s result, with the console read during it when `sb` is given (--readers). */
async function whileReading<T>(sb: Switchboard | null, work: Promise<T>): Promise<[T, ReadStats | null]> {
  const reading = sb ? readConsole(sb, work) : null;
  return [await work, await reading];
}

// ---------- Main ----------

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

async function main() {
  const duration = Number(arg("duration") ?? 15);
  // Every subject gets the same short, uncounted warm-up at full load first (JIT, connection pools, heap sizing).
  const warmup = Number(arg("warmup") ?? 2);
  const connections = Number(arg("connections") ?? 32);
  const only = new Set((arg("only") ?? "direct,portkey,bare,switchboard").split(","));
  const readers = process.argv.includes("--readers");
  // --rate=N: N requests/s in all instead of as many as the subject answers (CPU per request without contention).
  const rate = arg("rate") ? Number(arg("rate")) : undefined;

  if (!hasPackage("autocannon")) {
    console.log("! autocannon: peer missing (the load generator). Install it with:");
    console.log("    npm i -D autocannon");
    process.exitCode = 1;
    return;
  }
  const autocannon = require("autocannon") as Autocannon;

  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(`Gateway benchmark: ${connections} connections, ${duration} s per run, ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log(
    `Load average at start: ${load}${os.loadavg()[0] > os.cpus().length / 2 ? "  (the machine is busy: throughput and latency figures will be low and noisy)" : ""}\n`,
  );
  const upstreamPort = (await startHelper("--upstream")).port;
  const direct = { url: `http://127.0.0.1:${upstreamPort}/v1/chat/completions`, headers: { authorization: "Bearer sk-bench-upstream" } };
  const portkey = only.has("portkey") ? await startPortkey(upstreamPort) : null;
  const bareProxy = only.has("bare") ? await startHelper(`--bare-proxy=${upstreamPort}`) : null;
  const bare = bareProxy ? `http://127.0.0.1:${bareProxy.port}/v1/chat/completions` : null;
  const sb = only.has("switchboard") ? await startSwitchboard(upstreamPort) : null;

  const subjects: { name: string; url: string; headers: Record<string, string>; model: string }[] = [];
  if (only.has("direct")) subjects.push({ name: "direct", ...direct, model: UPSTREAM_MODEL });
  if (portkey) subjects.push({ name: "portkey", ...portkey, model: UPSTREAM_MODEL });
  if (bare) subjects.push({ name: "bare proxy", url: bare, headers: {}, model: UPSTREAM_MODEL });
  if (sb) subjects.push({ name: "switchboard", url: sb.url, headers: sb.headers, model: MODEL });

  const results: Record<string, Figures> = {};
  let peakRss = 0;
  let sbProbes = 0;
  let warmedUp = 0;
  for (const stream of [false, true]) {
    for (const s of subjects) {
      const label = `${s.name} ${stream ? "stream" : "json"}`;
      const broken = await probe(s.name, s.url, s.headers, s.model, stream);
      if (!broken && s.name === "switchboard") sbProbes++;
      if (!broken && warmup > 0) {
        // With --readers the console is read during the warm-up too (Next.js loads on its first request).
        const [w] = await whileReading(
          readers && s.name === "switchboard" ? sb : null,
          drive(autocannon, s.url, s.headers, s.model, stream, { connections, duration: warmup }),
        );
        if (s.name === "switchboard") warmedUp += w.requests;
      }
      if (broken) {
        console.log(`! ${label}: skipped, ${broken}`);
        continue;
      }
      process.stdout.write(`  ${label.padEnd(20)} ... `);
      const mine = sb && s.name === "switchboard" ? sb.pid : null;
      const measured = mine ?? (bareProxy && s.name === "bare proxy" ? bareProxy.pid : null);
      const sampler = mine ? setInterval(() => (peakRss = Math.max(peakRss, rssMb(mine) ?? 0)), 250) : null;
      const cpu0 = measured ? cpuMs(measured) : null;
      let read: ReadStats | null;
      try {
        [results[label], read] = await whileReading(
          readers && mine ? sb : null,
          drive(autocannon, s.url, s.headers, s.model, stream, { connections, duration, rate }),
        );
      } finally {
        if (sampler) clearInterval(sampler);
      }
      const f = results[label];
      const cpu1 = measured ? cpuMs(measured) : null;
      // CPU per request does not depend on what else the machine runs, unlike req/s: compare changes with it.
      if (cpu0 !== null && cpu1 !== null && f.requests) f.cpuUsPerRequest = ((cpu1 - cpu0) * 1000) / f.requests;
      console.log(
        `${Math.round(f.rps)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.errors} errors${f.cpuUsPerRequest ? `, ${Math.round(f.cpuUsPerRequest)} us CPU/request` : ""}`,
      );
      if (read)
        console.log(
          `  ${"".padEnd(20)}     with ${read.reads} console reads (${read.failed} failed), mean ${read.meanMs.toFixed(0)} ms, max ${read.maxMs.toFixed(0)} ms`,
        );
    }
  }
  let recorded: { records: number | null; answered: number; stopMs: number | null } | null = null;
  if (sb) {
    peakRss = Math.max(peakRss, rssMb(sb.pid) ?? 0);
    // A clean stop writes every queued usage record: count them against the requests Switchboard answered.
    const answered =
      sbProbes +
      warmedUp +
      Object.entries(results)
        .filter(([k]) => k.startsWith("switchboard"))
        .reduce((n, [, f]) => n + f.requests, 0);
    const stopMs = await stopSwitchboard(sb);
    recorded = { records: stopMs === null ? null : await countUsageRecords(sb.dataDir), answered, stopMs };
  }

  console.log("\n| run | req/s | p50 ms | p99 ms | errors | requests | CPU us/request |\n|---|---:|---:|---:|---:|---:|---:|");
  for (const [label, f] of Object.entries(results)) {
    console.log(
      `| ${label} | ${Math.round(f.rps)} | ${f.p50} | ${f.p99} | ${f.errors} | ${f.requests} | ${f.cpuUsPerRequest ? Math.round(f.cpuUsPerRequest) : ""} |`,
    );
  }
  if (sb) console.log(`\nSwitchboard resident memory (peak during its runs): ${peakRss.toFixed(0)} MB`);

  const checks: [string, boolean | null][] = [];
  for (const mode of ["json", "stream"]) {
    const s = results[`switchboard ${mode}`];
    const p = results[`portkey ${mode}`];
    const d = results[`direct ${mode}`];
    if (!s) continue;
    const ratio = (a: number, b: number | undefined) => (b ? a / b : null);
    const vsP = ratio(s.rps, p?.rps);
    const vsD = ratio(s.rps, d?.rps);
    checks.push([
      `${mode}: ${vsP === null ? "n/a" : `${vsP.toFixed(1)}x`} Portkey's throughput (target >= ${TARGETS.vsPortkey}x)`,
      vsP === null ? null : vsP >= TARGETS.vsPortkey,
    ]);
    checks.push([
      `${mode}: ${vsD === null ? "n/a" : `${(vsD * 100).toFixed(0)}%`} of direct (target >= ${TARGETS.vsDirect * 100}%)`,
      vsD === null ? null : vsD >= TARGETS.vsDirect,
    ]);
    checks.push([`${mode}: p99 ${s.p99} ms (target <= ${TARGETS.p99Ms} ms)`, s.p99 <= TARGETS.p99Ms]);
    checks.push([`${mode}: ${s.errors} errors (target 0)`, s.errors === 0]);
  }
  if (sb && Object.keys(results).some((k) => k.startsWith("switchboard")))
    checks.push([`resident memory ${peakRss.toFixed(0)} MB (target <= ${TARGETS.rssMb} MB)`, peakRss <= TARGETS.rssMb]);
  if (recorded) {
    // autocannon does not count requests still in flight when a run ends; Switchboard records those too.
    const { records, answered, stopMs } = recorded;
    const what =
      stopMs === null
        ? "Switchboard did not stop within 2 minutes (killed)"
        : `${records ?? "?"} usage records for ${answered} answered requests, written by a clean stop in ${(stopMs / 1000).toFixed(1)} s`;
    checks.push([`usage: ${what}`, records !== null && records >= answered]);
  }
  if (checks.length) {
    console.log("\nTargets:");
    for (const [text, ok] of checks) console.log(`  ${ok === null ? "n/a " : ok ? "PASS" : "MISS"}  ${text}`);
  }
  const reference: string[] = [];
  for (const mode of ["json", "stream"]) {
    const b = results[`bare proxy ${mode}`];
    if (!b) continue;
    const p = results[`portkey ${mode}`];
    const d = results[`direct ${mode}`];
    const s = results[`switchboard ${mode}`];
    const parts = [
      p && `${(b.rps / p.rps).toFixed(1)}x Portkey`,
      d && `${((b.rps / d.rps) * 100).toFixed(0)}% of direct`,
      s && `Switchboard at ${((s.rps / b.rps) * 100).toFixed(0)}% of it`,
    ];
    reference.push(`${mode}: the bare proxy reaches ${Math.round(b.rps)} req/s: ${parts.filter(Boolean).join(", ")}`);
  }
  if (reference.length) {
    console.log("\nReference (no target): a Node.js proxy with no gateway logic on this machine");
    for (const line of reference) console.log(`  ${line}`);
  }
  const missed = checks.some(([, ok]) => ok === false);
  if (!sb || !portkey || missed) process.exitCode = missed ? 2 : 1;
}

if (process.argv.includes("--upstream")) {
  runUpstream(0);
} else if (arg("bare-proxy")) {
  runBareProxy(Number(arg("bare-proxy")));
} else {
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => (cleanup(), process.exit(130)));
  process.on("exit", cleanup);
  main()
    .catch((e) => {
      console.error(`\nBenchmark failed: ${(e as Error).message}`);
      process.exitCode = 1;
    })
    .finally(() => {
      cleanup();
      // autocannon or a stray socket may hold the event loop open; the figures are printed.
      setTimeout(() => process.exit(), 500).unref();
    });
}
