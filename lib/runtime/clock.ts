// The clock and randomness the data plane reads, captured when the server first loads this module: before Next
// installs its wrappers around Date, Date.now and Math.random (they look up two AsyncLocalStorages on every call
// to notice clock reads during prerenders; the data plane never prerenders, and the hot path reads the clock a
// dozen times a request). Under `next dev` this module loads inside Next's bundle and gets the wrapped ones,
// which behave the same.

export const now: () => number = Date.now;
export const PlainDate: DateConstructor = Date;
export const random: () => number = Math.random;

/** The current time as a Date. */
export const newDate = (): Date => new PlainDate(now());
