// Summarises a V8 .cpuprofile (node --cpu-prof, or `npm run bench:gateway -- --node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"`):
// time by module, by function (self) and inclusive, so a hot path's costs can be compared before and after a change.
//   npx tsx scripts/cpuprofile-summary.ts /tmp/prof/CPU.*.cpuprofile [top=40]
import fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx scripts/cpuprofile-summary.ts <file.cpuprofile> [top]");
  process.exit(1);
}
const top = Number(topArg ?? 40);
const p = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<number, number>();
let total = 0;
p.samples.forEach((id, i) => {
  const d = p.timeDeltas[i] ?? 0;
  total += d;
  self.set(id, (self.get(id) ?? 0) + d);
});

const moduleOf = (url: string) => {
  if (!url) return "(native)";
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  return m ? m[1] : url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "");
};
const label = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const byModule = new Map<string, number>();
const byFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  byModule.set(moduleOf(n.callFrame.url), (byModule.get(moduleOf(n.callFrame.url)) ?? 0) + t);
  byFunction.set(label(n), (byFunction.get(label(n)) ?? 0) + t);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (!seen.has(l)) inclusive.set(l, (inclusive.get(l) ?? 0) + t);
    seen.add(l);
  }
}

const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${(t / 1000).toFixed(0).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print("by module (self time)", byModule, 25);
print("by function (self time)", byFunction, top);
print("inclusive", new Map([...inclusive].filter(([k]) => !/^\((root|program|idle)\)/.test(k))), top);
