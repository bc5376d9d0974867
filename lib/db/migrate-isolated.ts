import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { migrateAppDatabase } from "./migrate-app";

// Start-up migrations in a short-lived child process. Prisma's schema engine is WebAssembly that, once loaded,
// keeps its memory, and on the embedded database the migration opens a PGlite of its own: together about
// 900 MB at their peak on a first start. A worker thread (the earlier way) gave the V8 heap back when it exited,
// but not what the C allocator had taken for compiling the two WebAssembly modules: the server kept ~130 MB
// of it for life. A process gives everything back. The child opens the database, migrates and closes it before
// this process opens it (one PGlite per data directory at a time). It inherits the environment (the
// server has read .env by then) and its output goes to the server's. The compiled server (dist/) starts the
// compiled child beside it; run from source, the child loads its TypeScript through tsx, and where it cannot
// (no tsx), the migration runs in-process.

function tsxLoader(): string | null {
  try {
    return import.meta.resolve("tsx");
  } catch {
    return null;
  }
}

export async function migrateIsolated(): Promise<string[]> {
  const compiled = !import.meta.url.endsWith(".ts");
  const loader = compiled ? null : tsxLoader();
  if (!compiled && !loader) return migrateAppDatabase();
  const entry = fileURLToPath(new URL(compiled ? "./migrate-child.js" : "./migrate-child.ts", import.meta.url));
  return new Promise<string[]>((resolve, reject) => {
    // Only the loader: flags given to the server (profilers, inspectors) are not meant for the child.
    const child = spawn(process.execPath, loader ? ["--import", loader, entry] : [entry], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: process.env,
    });
    let answer: { applied?: string[]; error?: string } | null = null;
    let failure: Error | null = null;
    child.on("message", (m: { applied?: string[]; error?: string }) => (answer = m));
    child.once("error", (e) => (failure = e));
    // Settled on exit, not on the answer: the child's hold on the data directory is gone by then.
    child.once("exit", (code, signal) => {
      if (answer?.error !== undefined) reject(new Error(answer.error));
      else if (answer) resolve(answer.applied ?? []);
      else reject(failure ?? new Error(`the migration process exited (${signal ?? `code ${code}`}) without an answer`));
    });
  });
}
