import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REGISTRY_MODELS } from "./registry-write";

// A write to a table the routing snapshot reads must go through registryWrite (which bumps the gateway
// version in the write's transaction), or say why the snapshot does not care with a `registry-neutral:`
// comment on the statement. This finds every Prisma write call on those models in lib/ and app/, so a new
// writer that forgets fails here before any test exercises it; registry-write.db.test.ts checks the same
// rule in the database for the writers it runs.

const root = path.resolve(import.meta.dirname, "../..");
const WRITE_OPS = new Set([
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
]);
const TABLES = REGISTRY_MODELS.map((m) => m[0].toUpperCase() + m.slice(1));
const RAW_WRITE = new RegExp(`\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+"(?:${TABLES.join("|")})"`, "i");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" || e.name === "testing" || e.name === "node_modules" ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

export interface WriteSite {
  file: string;
  line: number;
  call: string;
  guard: "registryWrite" | "neutral" | "unguarded";
}

// TypeScript 7 has no JavaScript parser API, so a small lexer blanks comments (and, for `code`, string and
// template text) keeping every offset; calls are then found by pattern and bodies by matching parentheses.
const REGEX_BEFORE = new Set("(,=:[!&|?{};+-*%<>~^");
const KEYWORDS_BEFORE = /\b(?:return|typeof|case|do|else|in|of|yield|await|void|delete|throw)$/;

export function lex(text: string): { code: string; withStrings: string } {
  const code = [...text];
  const withStrings = [...text];
  const blank = (from: number, to: number, strings: boolean) => {
    for (let k = from; k < to; k++) {
      if (text[k] === "\n") continue;
      code[k] = " ";
      if (!strings) withStrings[k] = " ";
    }
  };
  const stack: number[] = []; // brace depth at each open `${`
  let depth = 0;
  let i = 0;
  const lastCode = (at: number) => {
    let k = at - 1;
    while (k >= 0 && /\s/.test(code[k])) k--;
    return { ch: k >= 0 ? code[k] : "", before: code.slice(Math.max(0, k - 8), k + 1).join("") };
  };
  const template = () => {
    // From just after a backtick or `}` closing a substitution: to the closing backtick or the next `${`.
    const from = i;
    while (i < text.length) {
      if (text[i] === "\\") i += 2;
      else if (text[i] === "`") return blank(from, i++, true);
      else if (text[i] === "$" && text[i + 1] === "{") {
        blank(from, i, true);
        i += 2;
        stack.push(depth);
        return;
      } else i++;
    }
  };
  while (i < text.length) {
    const c = text[i];
    const n = text[i + 1];
    if (c === "/" && n === "/") {
      const end = text.indexOf("\n", i);
      blank(i, end < 0 ? text.length : end, false);
      i = end < 0 ? text.length : end;
    } else if (c === "/" && n === "*") {
      const end = text.indexOf("*/", i + 2) + 2;
      blank(i, end, false);
      i = end;
    } else if (c === '"' || c === "'") {
      const from = ++i;
      while (i < text.length && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
      blank(from, i++, true);
    } else if (c === "`") {
      i++;
      template();
    } else if (c === "/") {
      const prev = lastCode(i);
      if (prev.ch === "" || REGEX_BEFORE.has(prev.ch) || KEYWORDS_BEFORE.test(prev.before)) {
        const from = ++i;
        let inClass = false;
        while (i < text.length && (inClass || text[i] !== "/")) {
          if (text[i] === "\\") i++;
          else if (text[i] === "[") inClass = true;
          else if (text[i] === "]") inClass = false;
          i++;
        }
        blank(from, i++, false);
      } else i++;
    } else if (c === "{") {
      depth++;
      i++;
    } else if (c === "}") {
      if (stack.length && stack[stack.length - 1] === depth) {
        stack.pop();
        i++;
        template();
      } else {
        depth--;
        i++;
      }
    } else i++;
  }
  return { code: code.join(""), withStrings: withStrings.join("") };
}

/** The offset of the parenthesis closing the one at `open`, or -1 when the file does not balance. */
function closing(code: string, open: number): number {
  let d = 0;
  for (let k = open; k < code.length; k++) {
    if (code[k] === "(") d++;
    else if (code[k] === ")" && --d === 0) return k;
  }
  return -1;
}

const CALL = new RegExp(`\\.\\s*(${REGISTRY_MODELS.join("|")})\\s*\\.\\s*(${[...WRITE_OPS].join("|")})\\s*\\(`, "g");

/** Every write to a registry model in `file`: Prisma calls (`x.<model>.<write>(...)`) and raw SQL statements. */
export function registryWriteSites(file: string): WriteSite[] {
  const text = fs.readFileSync(file, "utf8");
  const { code, withStrings } = lex(text);
  const rel = path.relative(root, file);
  const bodies: [number, number][] = [];
  for (const m of code.matchAll(/\bregistryWrite\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const close = closing(code, open);
    if (close < 0) throw new Error(`${rel}: unbalanced parentheses after registryWrite at offset ${open}`);
    bodies.push([open, close]);
  }
  const lines = text.split("\n");
  const lineOf = (at: number) => text.slice(0, at).split("\n").length;
  const neutral = (line: number) => {
    const marked = (l: string) => /registry-neutral:\s*\S/.test(l);
    if (marked(lines[line - 1])) return true;
    for (let k = line - 2; k >= 0 && /^\s*(\/\/|\/\*|\*)/.test(lines[k]); k--) if (marked(lines[k])) return true;
    return false;
  };
  const site = (at: number, call: string): WriteSite => {
    const line = lineOf(at);
    const guard = bodies.some(([a, b]) => at > a && at < b) ? "registryWrite" : neutral(line) ? "neutral" : "unguarded";
    return { file: rel, line, call, guard };
  };
  return [
    ...[...code.matchAll(CALL)].map((m) => site(m.index, `${m[1]}.${m[2]}`)),
    ...[...withStrings.matchAll(new RegExp(RAW_WRITE.source, "gi"))].map((m) => site(m.index, `raw SQL ${m[0]}`)),
  ].sort((x, y) => x.line - y.line);
}

const allSites = () => [...sourceFiles(path.join(root, "lib")), ...sourceFiles(path.join(root, "app"))].flatMap(registryWriteSites);

describe("registry writes", () => {
  it("go through registryWrite, or are marked registry-neutral with a reason", () => {
    const sites = allSites();
    // The scan itself works: it sees the writers it must see.
    expect(sites.filter((s) => s.guard === "registryWrite").length).toBeGreaterThan(25);
    expect(sites.map((s) => `${s.file} ${s.call}`)).toContain("lib/virtual-keys/create-key.ts virtualKey.create");
    const unguarded = sites.filter((s) => s.guard === "unguarded").map((s) => `${s.file}:${s.line} ${s.call}`);
    expect(unguarded, "registry tables written without registryWrite (lib/gateway/registry-write.ts)").toEqual([]);
  });

  it("lex no code away: every write call outside a comment line is seen", () => {
    // A regular expression taken for a division (or the reverse) would blank code and hide calls behind it.
    for (const file of [...sourceFiles(path.join(root, "lib")), ...sourceFiles(path.join(root, "app"))]) {
      const lines = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => !/^\s*(\/\/|\/\*|\*)/.test(l));
      const naive = lines.join("\n").match(CALL)?.length ?? 0;
      expect(registryWriteSites(file).filter((s) => !s.call.startsWith("raw SQL")).length, path.relative(root, file)).toBe(naive);
    }
  });

  it("cover every table the routing snapshot reads", () => {
    const text = fs.readFileSync(path.join(root, "lib/gateway/snapshot.ts"), "utf8");
    const read = [...text.matchAll(/\btx\.(\w+)\.find(?:Many|First|Unique)\b/g)].map((m) => m[1]).filter((m) => m !== "gatewayVersion");
    expect(read.length).toBeGreaterThan(3);
    for (const m of read) expect(REGISTRY_MODELS, `snapshot.ts reads ${m}`).toContain(m);
  });

  it("finds an unguarded write, a raw one and a marked one", () => {
    const dir = fs.mkdtempSync(path.join(root, "lib", ".registry-scan-"));
    const file = path.join(dir, "sample.ts");
    try {
      fs.writeFileSync(
        file,
        [
          "export async function f(tx: any, db: any) {",
          "  await tx.modelRoute.deleteMany({ where: {} });",
          '  await db.$executeRaw`UPDATE "VirtualKey" SET "rpm" = 1`;',
          "  // registry-neutral: lastUsedAt is not in the snapshot.",
          "  await db.virtualKey.updateMany({ data: { lastUsedAt: new Date() } });",
          "  await registryWrite(tx, async (tx: any) => ({ result: await tx.platform.update({}), audit: null }));",
          "  await tx.auditEntry.create({ data: {} });",
          "}",
        ].join("\n"),
      );
      expect(registryWriteSites(file).map((s) => [s.line, s.call, s.guard])).toEqual([
        [2, "modelRoute.deleteMany", "unguarded"],
        [3, 'raw SQL UPDATE "VirtualKey"', "unguarded"],
        [5, "virtualKey.updateMany", "neutral"],
        [6, "platform.update", "registryWrite"],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
