import path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3211);

export const E2E = {
  port,
  baseURL: `http://127.0.0.1:${port}`,
  dataDir: path.resolve(import.meta.dirname, "..", ".tmp", "data"),
  adminEmail: "admin@e2e.test",
  adminPassword: "e2e-admin-password",
  envToken: "e2e-env-admin-token-0123456789",
  // Declared in fixtures/startup.yaml as ${env:E2E_STARTUP_TOKEN}, applied when the server starts.
  startupToken: "e2e-startup-token-abcdefghijklmnopqrstuvwxyz",
};
