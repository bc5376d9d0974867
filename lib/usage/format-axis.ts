/** A money axis: round ticks from 0 past the largest value, and labels with as many decimals as the step needs. */
export interface MoneyAxis {
  ticks: number[];
  domain: [number, number];
  format: (usd: number) => string;
}

/** About this many intervals between ticks (never more). */
const INTERVALS = 5;
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

/** The smallest 1, 2 or 5 times a power of ten that is at least `raw`, and that power. */
function niceStep(raw: number): { step: number; exponent: number } {
  let exponent = Math.floor(Math.log10(raw));
  let mantissa = [1, 2, 5].find((m) => m * 10 ** exponent >= raw * (1 - 1e-9));
  if (mantissa === undefined) [mantissa, exponent] = [1, exponent + 1];
  return { step: Number((mantissa * 10 ** exponent).toPrecision(1)), exponent };
}

/**
 * Ticks and labels for amounts in USD from 0 to `max`: a few cents read `$0.002`, `$0.004` (not `$0` on every
 * tick, as a fixed number of decimals would), dollars `$0.50`, `$1.00`, thousands `$5K`. An empty range (0)
 * gets a $0 to $1 axis.
 */
export function moneyAxis(max: number): MoneyAxis {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const { step, exponent } = niceStep(top / INTERVALS);
  // A step of 1, 2 or 5 times 10^k needs -k decimals to tell its ticks apart; below a dollar, cents keep two.
  const decimals = step < 1 ? Math.max(2, -exponent) : 0;
  const count = Math.ceil(top / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
  const last = ticks[ticks.length - 1];
  const format = (usd: number) => {
    if (usd === 0) return "$0";
    if (last >= 1000) return `$${compact.format(usd)}`;
    return step < 1 ? `$${usd.toFixed(decimals)}` : `$${whole.format(usd)}`;
  };
  return { ticks, domain: [0, last], format };
}
