// npm run build (after `next build`): compiles the custom server and what it imports from lib/ into dist/ with
// esbuild (ES modules, packages left to node_modules). `npm start` runs the compiled server: running the
// TypeScript through tsx at serve time cost ~20 % more CPU per gateway request (tsx keeps function names with a
// helper call per closure created, and installs source-map stack traces) and loaded the compiler into the
// server. Entry points that the server starts in another process or thread are compiled beside it.
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");

// The migration child (lib/db/migrate-isolated.ts) and the database thread (lib/db/threaded.ts) are started by file name from the chunk that holds its caller:
// entry names are flat, so it lands beside every chunk in dist/.
export const SERVER_ENTRIES = ["scripts/server.ts", "lib/db/migrate-child.ts", "lib/db/pglite-thread.ts"];

fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: SERVER_ENTRIES,
  outdir: "dist",
  entryNames: "[name]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
console.log(`Compiled the server to dist/ (${SERVER_ENTRIES.join(", ")})`);
