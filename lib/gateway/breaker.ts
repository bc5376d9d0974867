import { now as clockNow } from "../runtime/clock";
// Circuit breakers for platform keys, deployment instances and platforms. After `threshold` consecutive
// failures a breaker opens for `openMs`; then one half-open probe is let through: success closes it, failure
// opens it again. A cooldown (429 Retry-After, 401/403 from upstream) opens it for a given time directly.
export interface BreakerOptions {
  threshold: number;
  openMs: number;
  /** Longest cooldown an upstream's Retry-After may impose. */
  maxCooldownMs: number;
}

interface State {
  failures: number;
  openUntil: number;
  probing: boolean;
}

export type BreakerState = "closed" | "open" | "half-open";

export class Breakers {
  private states = new Map<string, State>();
  constructor(private opts: BreakerOptions = { threshold: 3, openMs: 30_000, maxCooldownMs: 120_000 }) {}

  state(id: string, now = clockNow()): BreakerState {
    const s = this.states.get(id);
    if (!s || s.openUntil === 0) return "closed";
    return now < s.openUntil ? "open" : "half-open";
  }

  /** Whether a call may go to `id` now; claims the single half-open probe when there is one. */
  tryAcquire(id: string, now = clockNow()): boolean {
    const s = this.states.get(id);
    if (!s || s.openUntil === 0) return true;
    if (now < s.openUntil) return false;
    if (s.probing) return false;
    s.probing = true;
    return true;
  }

  /** Whether `id` could be used now, without claiming a probe (for choosing among candidates). */
  available(id: string, now = clockNow()): boolean {
    const s = this.states.get(id);
    return !s || s.openUntil === 0 || (now >= s.openUntil && !s.probing);
  }

  success(id: string): void {
    this.states.delete(id);
  }

  failure(id: string, now = clockNow()): void {
    const s = this.states.get(id) ?? { failures: 0, openUntil: 0, probing: false };
    s.failures++;
    if (s.probing || s.failures >= this.opts.threshold) {
      s.openUntil = now + this.opts.openMs;
    }
    s.probing = false;
    this.states.set(id, s);
  }

  /** Gives back a claimed probe without a verdict (the client went away, or the upstream refused the input). */
  release(id: string): void {
    const s = this.states.get(id);
    if (s) s.probing = false;
  }

  cooldown(id: string, ms: number, now = clockNow()): void {
    const s = this.states.get(id) ?? { failures: 0, openUntil: 0, probing: false };
    s.openUntil = Math.max(s.openUntil, now + Math.min(Math.max(ms, 1000), this.opts.maxCooldownMs));
    s.probing = false;
    this.states.set(id, s);
  }
}
