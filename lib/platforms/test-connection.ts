import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors";
import { SecretUnavailableError } from "../crypto";
import { withSecret } from "../credentials/use-credential";
import { outboundFetch } from "../outbound/fetch";
import type { ConnectionTest, KeyTestResult } from "../schemas/platforms";
import { requirePlatformManage } from "./access";
import { readCapped } from "../http/read-capped";
import { describeOutboundFailure } from "../outbound/describe-failure";
import { listingRequest, parseModelListing, redactKey, vendorErrorMessage, VENDORS, type VendorId } from "./vendors";

const TIMEOUT_MS = 10_000;
const MAX_BODY = 4 * 1024 * 1024;

type Probe = Omit<KeyTestResult, "keyId" | "description" | "mask" | "enabled" | "latencyMs">;

/** Asks the vendor's model listing with one key. Every message that leaves here has the key removed. */
async function probe(p: { vendor: VendorId; baseUrl: string; apiVersion: string | null; internal: boolean }, key: string): Promise<Probe> {
  const req = listingRequest(p, key);
  let res: Response;
  try {
    res = await outboundFetch(req.url, { allowPrivate: p.internal, headers: req.headers, timeoutMs: TIMEOUT_MS });
  } catch (e) {
    return { status: "error", httpStatus: null, error: redactKey(describeOutboundFailure(e, TIMEOUT_MS), key), models: [] };
  }
  const text = await readCapped(res.body, MAX_BODY, "truncate").catch(() => "");
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (an HTML error page, a proxy): judged by the status alone.
  }
  if (res.ok) {
    const models = parseModelListing(p.vendor, body);
    if (models) return { status: "valid", httpStatus: res.status, error: null, models: models.sort() };
    return { status: "error", httpStatus: res.status, error: "The answer is not a model list; check the base URL", models: [] };
  }
  const fallback = res.status === 404 ? `No model listing at ${new URL(req.url).pathname}; check the base URL` : `HTTP ${res.status}`;
  const message = redactKey(`${res.status === 404 ? fallback : vendorErrorMessage(body, fallback)}`, key);
  // Only an authentication refusal says the key is bad; rate limits and outages say nothing about it.
  const status = res.status === 401 || res.status === 403 ? "invalid" : "error";
  return { status, httpStatus: res.status, error: message, models: [] };
}

/**
 * Test connection: every key of the platform (enabled or not) asks the vendor's model listing, in parallel with
 * a bounded timeout. Keys are marked valid or invalid; the union of listed models is offered for registration.
 */
export async function testPlatformConnection(opts: { actor: Actor; platformId: string; requestId?: string }): Promise<ConnectionTest> {
  requirePlatformManage(opts.actor);
  const p = await db.platform.findUnique({
    where: { id: opts.platformId },
    include: { keys: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
  });
  if (!p) throw notFound("Platform");
  const masks = new Map(
    (
      await db.credential.findMany({
        where: { id: { in: p.keys.map((k) => k.credentialId) }, workspaceId: null },
        select: { id: true, mask: true },
      })
    ).map((c) => [c.id, c.mask]),
  );
  const target = { vendor: p.vendor as VendorId, baseUrl: p.baseUrl, apiVersion: p.apiVersion, internal: p.internal };
  const results = await Promise.all(
    p.keys.map(async (k): Promise<KeyTestResult> => {
      const started = performance.now();
      let r: Probe;
      try {
        r = await withSecret({ credentialId: k.credentialId, workspaceId: null }, (value) => probe(target, value));
      } catch (e) {
        const error =
          e instanceof SecretUnavailableError
            ? "The stored key cannot be decrypted with the configured encryption keys"
            : "The stored key could not be read";
        r = { status: "error", httpStatus: null, error, models: [] };
      }
      return {
        keyId: k.id,
        description: k.description,
        mask: masks.get(k.credentialId) ?? "",
        enabled: k.enabled,
        latencyMs: Math.round(performance.now() - started),
        ...r,
      };
    }),
  );
  const now = new Date();
  await db.$transaction(async (tx) => {
    for (const r of results) {
      // registry-neutral: check results are shown, not routed on.
      await tx.platformKey.updateMany({
        where: { id: r.keyId, platformId: p.id },
        data: {
          ...(r.status === "error" ? {} : { checkStatus: r.status }),
          lastCheckedAt: now,
          ...(r.error ? { lastError: r.error, lastErrorAt: now } : { lastError: null }),
        },
      });
    }
    await recordAudit(tx, {
      actor: opts.actor,
      action: "platform.test",
      targetType: "platform",
      targetId: p.id,
      targetLabel: p.name,
      changes: Object.fromEntries(
        results.map((r, i) => [`key:${r.description || `key ${i + 1}`}`, { from: p.keys[i].checkStatus, to: r.status }]),
      ),
      requestId: opts.requestId,
    });
  });
  const models = [...new Set(results.flatMap((r) => r.models))].sort();
  return { platformId: p.id, checkedAt: now.toISOString(), keys: results, models, note: VENDORS[target.vendor].listingNote ?? null };
}
