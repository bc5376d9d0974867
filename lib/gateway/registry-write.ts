import type { Db } from "../db/client";
import type { Tx } from "../db/types";
import { recordAudit, type AuditInput } from "../audit/record";
import { bumpGatewayVersion } from "./version";

// Every write the gateway's routing snapshot (snapshot.ts) depends on goes through registryWrite, which records
// its audit entry and moves the GatewayVersion counter in the write's own transaction: a writer cannot forget
// the bump and leave every instance serving a stale snapshot. registry-write.test.ts fails on a write to a
// model below that is neither inside a registryWrite body nor marked `registry-neutral:` with its reason.

/** The Prisma models the routing snapshot is built from. */
export const REGISTRY_MODELS = [
  "platform",
  "platformKey",
  "credential",
  "deployment",
  "deploymentInstance",
  "model",
  "modelPrice",
  "modelRoute",
  "virtualKey",
  "workspace",
] as const;

export interface RegistryChange<T> {
  result: T;
  /** The change's audit entry; null when nothing changed or the change is audited by its caller. */
  audit: AuditInput | null;
  /** Whether the gateway must rebuild its snapshot; by default exactly when there is an audit entry. */
  snapshot?: boolean;
}

// Transactions whose version already moved: one bump per transaction is enough (the snapshot is rebuilt from
// what the transaction committed), so a configuration file applying hundreds of writes bumps once.
const bumped = new WeakSet<object>();

// An interactive transaction's client has no $connect (lib/db/client.ts's `db` is a proxy: `in` cannot tell).
const isRoot = (tx: Tx): tx is Db => typeof (tx as Partial<Db>).$connect === "function";

/**
 * Runs `body` in `tx` (an open transaction, so callers compose writes, as configuration files do) or, given
 * the client, in a transaction of its own; then records the audit entry and bumps the gateway version.
 */
export async function registryWrite<T>(tx: Tx, body: (tx: Tx) => Promise<RegistryChange<T>>): Promise<T> {
  if (isRoot(tx)) return tx.$transaction((inner) => registryWrite(inner, body));
  const change = await body(tx);
  if (change.audit) await recordAudit(tx, change.audit);
  if ((change.snapshot ?? change.audit !== null) && !bumped.has(tx)) {
    await bumpGatewayVersion(tx);
    bumped.add(tx);
  }
  return change.result;
}
