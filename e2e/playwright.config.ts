import path from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E } from "./support/env";
import { SERVER_COMMAND } from "../lib/node-flags";
import { findChromium, systemLookup } from "../lib/testing/chromium";

// Runs against the production build (npm run build) served by the custom server on a throwaway data directory.
const root = path.resolve(import.meta.dirname, "..");
// The browser scripts/ensure-chromium.ts found (or installed) before `npm run test:e2e` got here.
const chromium = findChromium(systemLookup());
if ("error" in chromium) throw new Error(`${chromium.error} Run \`npx tsx scripts/ensure-chromium.ts\` to install it or see what to do.`);

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: path.join(root, "test-results"),
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: E2E.baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium.path,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    // The server's own output goes to a file as well, so the secrets sweep can read the log.
    command: `rm -rf "${E2E.dataDir}" && mkdir -p "${E2E.dataDir}" && ${SERVER_COMMAND} 2>&1 | tee "${E2E.serverLog}"`,
    cwd: root,
    url: `${E2E.baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(E2E.port),
      HOST: "127.0.0.1",
      SWITCHBOARD_DATA_DIR: E2E.dataDir,
      SWITCHBOARD_PUBLIC_URL: E2E.baseURL,
      ADMIN_EMAIL: E2E.adminEmail,
      ADMIN_PASSWORD: E2E.adminPassword,
      SWITCHBOARD_ADMIN_TOKEN: E2E.envToken,
      SWITCHBOARD_CONFIG: path.join(import.meta.dirname, "fixtures", "startup.yaml"),
      E2E_STARTUP_TOKEN: E2E.startupToken,
      E2E_CANARY_INSTANCE: E2E.canaryInstance,
      E2E_CANARY_WORKSPACE: E2E.canaryWorkspace,
      E2E_API_SECRET: E2E.apiSecret,
      SWITCHBOARD_CONFIG_ENV_ALLOW: "E2E_API_*",
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      // A PostgreSQL run (E2E_DATABASE_URL) refuses to store secrets without keys from the environment.
      SWITCHBOARD_ENCRYPTION_KEYS: process.env.SWITCHBOARD_ENCRYPTION_KEYS ?? "",
      SWITCHBOARD_OUTBOUND_ALLOW: `${E2E.webhookHost},${E2E.catalogHost}`,
      // stdio MCP servers (mcp.spec.ts): this Node binary only, so an Admin can run server-everything over stdio.
      SWITCHBOARD_MCP_STDIO: "1",
      SWITCHBOARD_MCP_STDIO_COMMANDS: process.execPath,
      SWITCHBOARD_CATALOG_URL: `http://${E2E.catalogHost}:${E2E.catalogPort}/catalog/index.json`,
      LOG_LEVEL: "warn",
      // The production build skips the response checks; the specs turn them on so an answer that drifts from
      // its route's declared schema fails them (500). Only admin API answers are parsed, never the gateway's.
      SWITCHBOARD_CHECK_RESPONSES: "true",
    },
  },
});
