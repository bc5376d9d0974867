// The custom server and Next's bundled server code are two module graphs in one process, so a module-level
// singleton would exist twice. Process-wide state lives on globalThis under a registered symbol.
const symbols = new Map<string, symbol>();
export function processSingleton<T>(name: string, create: () => T): T {
  let key = symbols.get(name);
  if (!key) symbols.set(name, (key = Symbol.for(`switchboard.${name}`)));
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  let value = g[key];
  if (value === undefined) {
    value = create();
    g[key] = value;
  }
  return value;
}
