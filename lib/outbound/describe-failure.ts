import { OutboundBlockedError } from "./fetch";

/**
 * A short, safe description of why an outbound request failed, for a key's or an instance's "last error".
 * Only error codes are looked at, never messages that might echo a URL with credentials.
 */
export function describeOutboundFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof OutboundBlockedError) return `Blocked: ${e.message}`;
  const name = (e as Error)?.name;
  if (name === "TimeoutError" || name === "AbortError")
    return `No answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`;
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: string }).code;
    if (code === "ECONNREFUSED") return "Connection refused";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "The host name does not resolve";
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "Connection reset";
    if (
      code &&
      /^(ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+|CERT_\w+|ERR_TLS\w*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/.test(
        code,
      )
    ) {
      return `Could not connect (${code})`;
    }
  }
  return "Could not connect";
}
