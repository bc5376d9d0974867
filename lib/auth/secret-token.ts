import crypto from "node:crypto";

// Bearer secrets we issue (admin tokens, invitation links): random, stored as SHA-256 (they carry 256 bits of
// entropy, so a fast hash is enough), shown once, recognised in lists by a visible prefix.
export function generateSecret(kind: "sbat" | "sbinv"): string {
  return `${kind}_${crypto.randomBytes(32).toString("base64url")}`;
}

export function hashSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret, "utf8").digest("hex");
}

export function secretPrefix(secret: string): string {
  return secret.slice(0, 12);
}

export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash("sha256").update(a).digest();
  const hb = crypto.createHash("sha256").update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
