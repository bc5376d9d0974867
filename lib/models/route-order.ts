// Failover order of a model's routes: lower priority first; among equal priorities the heavier weight first;
// ties keep their given order (Array.prototype.sort is stable).
export interface Orderable {
  priority: number;
  weight: number;
}

export function orderRoutes<T extends Orderable>(routes: readonly T[]): T[] {
  return [...routes].sort((a, b) => a.priority - b.priority || b.weight - a.weight);
}
