import { processSingleton } from "../db/global";

// Failed sign-ins are counted per account and per client address in a sliding window. Past the limit further
// attempts are refused without checking the password until the window has room again.
export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

export const SIGN_IN_RULES = {
  account: { limit: 5, windowMs: 15 * 60_000 },
  address: { limit: 20, windowMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

export class FailureThrottle {
  private failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private recent(key: string, rule: ThrottleRule): number[] {
    const cutoff = this.now() - rule.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until another attempt is allowed, or 0 when allowed now. */
  retryAfter(key: string, rule: ThrottleRule): number {
    const list = this.recent(key, rule);
    if (list.length < rule.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - rule.limit] + rule.windowMs - this.now()) / 1000));
  }

  fail(key: string, rule: ThrottleRule): void {
    const list = this.recent(key, rule);
    list.push(this.now());
    this.failures.set(key, list.slice(-rule.limit * 2));
    if (this.failures.size > 50_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}

export const signInThrottle = () => processSingleton("signInThrottle", () => new FailureThrottle());
