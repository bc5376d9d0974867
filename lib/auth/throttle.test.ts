import { describe, expect, it } from "vitest";
import { FailureThrottle, SIGN_IN_RULES } from "./throttle";

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const rule = SIGN_IN_RULES.account; // 5 failures per 15 minutes

describe("FailureThrottle", () => {
  it("locks an account after 5 failures, not before", () => {
    const c = clock();
    const th = new FailureThrottle(c.now);
    for (let i = 0; i < 4; i++) {
      th.fail("acct:a", rule);
      c.advance(1000);
    }
    expect(th.retryAfter("acct:a", rule)).toBe(0);
    th.fail("acct:a", rule);
    expect(th.retryAfter("acct:a", rule)).toBeGreaterThan(0);
    expect(th.retryAfter("acct:b", rule)).toBe(0);
  });

  it("counts retryAfter down until the oldest failure leaves the window", () => {
    const c = clock();
    const th = new FailureThrottle(c.now);
    for (let i = 0; i < 5; i++) th.fail("k", rule);
    expect(th.retryAfter("k", rule)).toBe(15 * 60);
    c.advance(5 * 60_000);
    expect(th.retryAfter("k", rule)).toBe(10 * 60);
    c.advance(10 * 60_000 - 500);
    expect(th.retryAfter("k", rule)).toBe(1);
    c.advance(500);
    expect(th.retryAfter("k", rule)).toBe(0);
  });

  it("slides the window: only failures within the last 15 minutes count", () => {
    const c = clock();
    const th = new FailureThrottle(c.now);
    th.fail("k", rule); // t=0
    c.advance(10 * 60_000);
    for (let i = 0; i < 4; i++) th.fail("k", rule); // t=10min: 5 in window
    expect(th.retryAfter("k", rule)).toBe(5 * 60); // until the t=0 failure expires
    c.advance(5 * 60_000 + 1);
    expect(th.retryAfter("k", rule)).toBe(0); // 4 left in window
    th.fail("k", rule);
    expect(th.retryAfter("k", rule)).toBeGreaterThan(9 * 60); // locked until the t=10min ones expire
  });

  it("reset clears the failures of one key only", () => {
    const c = clock();
    const th = new FailureThrottle(c.now);
    for (let i = 0; i < 5; i++) {
      th.fail("acct:a", rule);
      th.fail("acct:b", rule);
    }
    th.reset("acct:a");
    expect(th.retryAfter("acct:a", rule)).toBe(0);
    expect(th.retryAfter("acct:b", rule)).toBeGreaterThan(0);
  });

  it("applies the per-address limit (20) independently of the per-account one", () => {
    const c = clock();
    const th = new FailureThrottle(c.now);
    // 19 failures from one address spread over different accounts: none locked yet.
    for (let i = 0; i < 19; i++) {
      th.fail(`acct:user${i}`, SIGN_IN_RULES.account);
      th.fail("addr:10.0.0.1", SIGN_IN_RULES.address);
    }
    expect(th.retryAfter("addr:10.0.0.1", SIGN_IN_RULES.address)).toBe(0);
    expect(th.retryAfter("acct:user0", SIGN_IN_RULES.account)).toBe(0);
    th.fail("addr:10.0.0.1", SIGN_IN_RULES.address);
    expect(th.retryAfter("addr:10.0.0.1", SIGN_IN_RULES.address)).toBeGreaterThan(0);
    expect(th.retryAfter("addr:10.0.0.2", SIGN_IN_RULES.address)).toBe(0);
  });
});
