import path from "node:path";
import { z } from "zod";

// The one place that reads process.env. Everything else imports `env`.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  REDIS_URL: z.string().optional(),
  // How long a Redis command may take before the limits decide on this instance's own counters (ms).
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(5).max(10_000).default(50),
  SWITCHBOARD_DATA_DIR: z.string().default("./.data"),
  SWITCHBOARD_CONFIG: z.string().optional(),
  SWITCHBOARD_ADMIN_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SWITCHBOARD_PUBLIC_URL: z.string().url().optional(),
  // Hosts, IPs or CIDRs that outbound requests may reach even though they are private (comma-separated).
  SWITCHBOARD_OUTBOUND_ALLOW: z.string().default(""),
  // Connector tool calls (POST /api/v1/tools/...): the whole upstream call, connect included (ms).
  SWITCHBOARD_TOOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  // Webhook forwards to a worker's or workflow's delivery URL: attempts before an event is dead, one attempt's
  // timeout, and how many forwards run at once per instance.
  SWITCHBOARD_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  SWITCHBOARD_WEBHOOK_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SWITCHBOARD_WEBHOOK_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  // The remote catalog of API providers (a JSON index, see README) polled every SWITCHBOARD_CATALOG_POLL_SECONDS.
  SWITCHBOARD_CATALOG_URL: z
    .string()
    .regex(/^https?:\/\//i, "must be an http(s) URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SWITCHBOARD_CATALOG_POLL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  // MCP servers run as local commands over stdio (Admins only): off unless "1"/"true"; the commands allowed, as
  // absolute paths or bare names looked up in PATH (comma-separated; a server's command must equal one exactly).
  SWITCHBOARD_MCP_STDIO: z.stringbool().default(false),
  SWITCHBOARD_MCP_STDIO_COMMANDS: z.string().default(""),
  // Environment variables a configuration sent through the API may read into secret fields: names or prefixes
  // ending in * (comma-separated). The start-up file (SWITCHBOARD_CONFIG) may read any but Switchboard's own.
  SWITCHBOARD_CONFIG_ENV_ALLOW: z.string().default(""),
  // Key ring for secrets at rest: "id:base64key[,id:base64key]"; the first encrypts, all decrypt.
  SWITCHBOARD_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  NEXTAUTH_URL: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Parse every admin API answer with its declared response schema (default: on unless NODE_ENV is production).
  SWITCHBOARD_CHECK_RESPONSES: z
    .stringbool()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  // On SIGTERM/SIGINT the server stops accepting connections and lets the calls in flight finish for this long.
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
});

export type Env = z.infer<typeof schema>;

/** Every variable this module reads (lib/config/env-refs.ts keeps configurations away from them). */
export const ENV_NAMES: ReadonlySet<string> = new Set([...Object.keys(schema.shape), "npm_package_version"]);

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = load();

export const dataDir = path.resolve(env.SWITCHBOARD_DATA_DIR);
// process.env.NODE_ENV is read directly so that Next inlines "production" into its build even when the
// variable is unset in the server's environment.
export const checkResponses: boolean = env.SWITCHBOARD_CHECK_RESPONSES ?? process.env.NODE_ENV !== "production";
export const appVersion: string = process.env.npm_package_version ?? "0.1.0";
