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
  // Canary secrets given to the server through fixtures/startup.yaml; the sweep in secrets.spec.ts must find
  // them nowhere except (encrypted) in the credential store.
  canaryInstance: "sk-canaryinst-7f3a9c1e5b2d4680aa11",
  canaryWorkspace: "xoxb-canaryws-20c4e8d1b93f",
  // Given to the server as E2E_API_SECRET, which SWITCHBOARD_CONFIG_ENV_ALLOW (E2E_API_*) lets a configuration
  // sent through the API read into a secret field.
  apiSecret: "sk-e2eapisecret-5d1c0b7a9e3f2468",
  serverLog: path.resolve(import.meta.dirname, "..", ".tmp", "server.log"),
  // The one private address the server may send webhooks to (SWITCHBOARD_OUTBOUND_ALLOW): a receiver listens on
  // it (all of 127/8 is loopback on Linux), while 127.0.0.1 and every other private address stay refused.
  webhookHost: "127.0.0.2",
  // The remote catalog of API providers (SWITCHBOARD_CATALOG_URL): catalog.spec.ts serves it on its own loopback
  // address, also allowed, when it runs; until then the server's polls fail and change nothing.
  catalogHost: "127.0.0.3",
  catalogPort: port + 1000,
};
