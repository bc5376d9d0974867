import { appVersion } from "./env";
import { pingDb } from "./db/client";
import { redisLimitsHealth } from "./gateway/limits-store";

const started = Date.now();

// Redis down leaves the instance serving (limits fall back to its own counters, lib/gateway/redis-fallback.ts):
// the report says "degraded" but the answer stays 200, so a load balancer keeps the instance. The database
// down is a 503 (lib/dataplane/router.ts).
export async function healthReport() {
  const [database, redis] = await Promise.all([pingDb(), redisLimitsHealth()]);
  return {
    status: database.ok && (redis?.ok ?? true) ? ("ok" as const) : ("degraded" as const),
    version: appVersion,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    database,
    ...(redis ? { redis } : {}),
  };
}
