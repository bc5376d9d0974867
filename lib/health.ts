import { appVersion } from "./env";
import { pingDb } from "./db/client";

const started = Date.now();

export async function healthReport() {
  const database = await pingDb();
  return {
    status: database.ok ? ("ok" as const) : ("degraded" as const),
    version: appVersion,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    database,
  };
}
