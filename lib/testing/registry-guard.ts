import type { Db } from "../db/client";

// The database half of the registry-write rule (lib/gateway/registry-write.ts), for tests: deferred triggers
// on every table the routing snapshot reads note, at commit, each row a transaction changed in a column the
// snapshot reads without moving GatewayVersion. It sees every path (nested creates, cascades, raw SQL), but
// only the writes a test runs; registry-write.test.ts covers the code that no test runs.
// The triggers record rather than raise: Prisma's PGlite adapter drops an error raised at COMMIT (the
// transaction is rolled back, yet the call resolves), so a raised error would go unseen on the embedded default.

/** Per table: the columns lib/gateway/snapshot.ts reads; a change to any other column needs no rebuild. */
export const SNAPSHOT_COLUMNS: Record<string, { columns: string[]; insertDelete: boolean; when?: string }> = {
  Platform: { columns: ["name", "vendor", "baseUrl", "apiVersion", "internal", "status"], insertDelete: true },
  PlatformKey: { columns: ["platformId", "weight", "enabled", "credentialId", "position"], insertDelete: true },
  // Only instance credentials back platform keys; a credential nothing uses yet is not in the snapshot.
  Credential: { columns: ["ciphertext"], insertDelete: false, when: `NEW."workspaceId" IS NULL` },
  Deployment: { columns: ["name", "strategy", "internal"], insertDelete: true },
  DeploymentInstance: { columns: ["deploymentId", "url", "weight", "enabled", "state", "position"], insertDelete: true },
  Model: { columns: ["name", "status", "contextWindow", "maxOutputTokens"], insertDelete: true },
  ModelPrice: { columns: ["modelId", "effectiveFrom", "inputPerMillion", "outputPerMillion", "cachedInputPerMillion"], insertDelete: true },
  ModelRoute: {
    columns: [
      "modelId",
      "platformId",
      "deploymentId",
      "upstreamModel",
      "priority",
      "weight",
      "enabled",
      "connectTimeoutMs",
      "firstTokenTimeoutMs",
      "totalTimeoutMs",
    ],
    insertDelete: true,
  },
  VirtualKey: {
    columns: [
      "workspaceId",
      "name",
      "keyHash",
      "allowedModels",
      "rpm",
      "tpm",
      "monthlyBudgetUsd",
      "budgetAction",
      "expiresAt",
      "revokedAt",
    ],
    insertDelete: true,
  },
  // A workspace reaches the snapshot through its keys (budget, body storage); creating or deleting one does not.
  Workspace: { columns: ["storeBodies", "monthlyBudgetUsd", "budgetAction"], insertDelete: false },
};

const FLAG = "switchboard.gateway_bumped";
const LOG = "sb_registry_unbumped";

export async function installRegistryGuard(db: Db): Promise<void> {
  const statements = [
    `CREATE OR REPLACE FUNCTION sb_gateway_bumped() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN PERFORM set_config('${FLAG}', 'yes', true); RETURN NULL; END $$`,
    `CREATE TABLE IF NOT EXISTS ${LOG} (at timestamptz NOT NULL DEFAULT clock_timestamp(), write text NOT NULL)`,
    `CREATE OR REPLACE FUNCTION sb_registry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF coalesce(current_setting('${FLAG}', true), '') <> 'yes' THEN
         INSERT INTO ${LOG} (write) VALUES (TG_TABLE_NAME || ' ' || TG_OP);
       END IF;
       RETURN NULL;
     END $$`,
    `DROP TRIGGER IF EXISTS sb_gateway_bumped ON "GatewayVersion"`,
    `CREATE TRIGGER sb_gateway_bumped AFTER INSERT OR UPDATE ON "GatewayVersion" FOR EACH ROW EXECUTE FUNCTION sb_gateway_bumped()`,
  ];
  for (const [table, spec] of Object.entries(SNAPSHOT_COLUMNS)) {
    const changed = spec.columns.map((c) => `OLD."${c}" IS DISTINCT FROM NEW."${c}"`).join(" OR ");
    const when = spec.when ? `(${spec.when}) AND (${changed})` : changed;
    const trigger = (name: string, event: string, condition?: string) => [
      `DROP TRIGGER IF EXISTS ${name} ON "${table}"`,
      `CREATE CONSTRAINT TRIGGER ${name} AFTER ${event} ON "${table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW${condition ? ` WHEN (${condition})` : ""} EXECUTE FUNCTION sb_registry_guard()`,
    ];
    statements.push(...trigger("sb_registry_update", "UPDATE", when));
    if (spec.insertDelete) statements.push(...trigger("sb_registry_insert_delete", "INSERT OR DELETE"));
  }
  for (const sql of statements) await db.$executeRawUnsafe(sql);
}

/**
 * The registry writes committed without a bump since the last call ("VirtualKey UPDATE", one per row), oldest
 * first; reading them clears them.
 */
export async function unbumpedWrites(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ write: string }[]>(
    `WITH d AS (DELETE FROM ${LOG} RETURNING at, write) SELECT write FROM d ORDER BY at`,
  );
  return rows.map((r) => r.write);
}

/** Drops the triggers again (a PostgreSQL database is shared by the test files that run after). */
export async function removeRegistryGuard(db: Db): Promise<void> {
  for (const table of Object.keys(SNAPSHOT_COLUMNS)) {
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS sb_registry_update ON "${table}"`);
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS sb_registry_insert_delete ON "${table}"`);
  }
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS sb_gateway_bumped ON "GatewayVersion"`);
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS sb_registry_guard()`);
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS sb_gateway_bumped()`);
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${LOG}`);
}
