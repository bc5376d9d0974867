import fs from "node:fs";
import path from "node:path";

// Where the e2e suite finds a browser: Playwright cannot download one here, so it drives the system's Chromium.
// The lookups are injected so the choice can be tested without touching the machine.

/** Looked up on PATH, in this order. */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
/** Debian's path, tried first (the CI image and ENVIRONMENT.md use it). */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
/** Debian's package (Ubuntu's `chromium` is a snap wrapper, which works as well). */
export const installCommand = (sudo = "") => `${sudo}apt-get update && ${sudo}apt-get install -y chromium`;

export interface ChromiumLookup {
  env: Record<string, string | undefined>;
  isExecutable: (file: string) => boolean;
}

export type ChromiumSearch = { path: string } | { error: string };

function onPath(name: string, { env, isExecutable }: ChromiumLookup): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** CHROMIUM_PATH when set (and then only it: a wrong value is an error, not a reason to pick another browser), else /usr/bin/chromium, else the first of CHROMIUM_NAMES on PATH. */
export function findChromium(lookup: ChromiumLookup): ChromiumSearch {
  const chosen = lookup.env.CHROMIUM_PATH?.trim();
  if (chosen) return lookup.isExecutable(chosen) ? { path: chosen } : { error: `CHROMIUM_PATH=${chosen} is not an executable file.` };
  if (lookup.isExecutable(DEFAULT_CHROMIUM)) return { path: DEFAULT_CHROMIUM };
  for (const name of CHROMIUM_NAMES) {
    const file = onPath(name, lookup);
    if (file) return { path: file };
  }
  return { error: `No Chromium found (looked for ${DEFAULT_CHROMIUM} and ${CHROMIUM_NAMES.join(", ")} on PATH).` };
}

export type ChromiumPlan = { use: string } | { install: string } | { stop: string };

/**
 * What the test command does about the browser: use the one found; install Debian's package when it may (root,
 * with apt-get) and CHROMIUM_PATH does not name another; otherwise stop and say what to run.
 */
export function planChromium(lookup: ChromiumLookup, system: { root: boolean }): ChromiumPlan {
  const found = findChromium(lookup);
  if ("path" in found) return { use: found.path };
  const apt = onPath("apt-get", lookup) !== undefined;
  if (!lookup.env.CHROMIUM_PATH?.trim() && system.root && apt) return { install: installCommand() };
  const install = apt
    ? `Install it with:\n  ${installCommand(system.root ? "" : "sudo ")}\nor point`
    : "Install Chromium or Google Chrome, or point";
  return {
    stop: [
      found.error,
      "The end-to-end tests drive the system's Chromium (Playwright cannot download a browser here).",
      `${install} CHROMIUM_PATH at a Chromium or Chrome executable:`,
      "  CHROMIUM_PATH=/path/to/chromium npm test",
    ].join("\n"),
  };
}

/** The real machine: a regular file with an execute bit for this user. */
export function systemLookup(env: Record<string, string | undefined> = process.env): ChromiumLookup {
  return {
    env,
    isExecutable: (file) => {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    },
  };
}
