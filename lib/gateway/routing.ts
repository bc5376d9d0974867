import { random } from "../runtime/clock";
// Route choice: candidates by priority (lower first); within one priority a weighted random order; within a
// platform a weighted random key among the usable ones.
export interface Weighted {
  weight: number;
}

/** Picks one item with probability proportional to its weight (weights below 1 count as 1). */
export function weightedPick<T extends Weighted>(items: readonly T[], rand: () => number = random): T | null {
  if (!items.length) return null;
  if (items.length === 1) return items[0];
  let total = 0;
  for (const i of items) total += Math.max(1, i.weight);
  let r = rand() * total;
  for (const i of items) {
    r -= Math.max(1, i.weight);
    if (r < 0) return i;
  }
  return items[items.length - 1];
}

/** A weighted random permutation: the first element follows the weights, and so on for the rest. */
export function weightedOrder<T extends Weighted>(items: readonly T[], rand: () => number = random): T[] {
  const rest = [...items];
  const out: T[] = [];
  while (rest.length) {
    const p = weightedPick(rest, rand)!;
    out.push(p);
    rest.splice(rest.indexOf(p), 1);
  }
  return out;
}

/** Routes in failover order: priority groups ascending, each group in weighted random order. */
export function candidateOrder<T extends Weighted & { priority: number }>(routes: readonly T[], rand: () => number = random): T[] {
  const groups = new Map<number, T[]>();
  for (const r of routes) {
    const g = groups.get(r.priority);
    if (g) g.push(r);
    else groups.set(r.priority, [r]);
  }
  const out: T[] = [];
  for (const p of [...groups.keys()].sort((a, b) => a - b)) out.push(...weightedOrder(groups.get(p)!, rand));
  return out;
}
