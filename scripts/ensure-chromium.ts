// Run by `npm test` and `npm run test:e2e` before the browser tests: finds the system's Chromium (CHROMIUM_PATH,
// /usr/bin/chromium, chromium, chromium-browser or google-chrome on PATH), installs Debian's package when running
// as root, and otherwise stops with the command to run. e2e/playwright.config.ts finds the same executable.
import { spawnSync } from "node:child_process";
import { findChromium, planChromium, systemLookup } from "../lib/testing/chromium";

const lookup = systemLookup();
const plan = planChromium(lookup, { root: process.getuid?.() === 0 });

if ("stop" in plan) {
  console.error(plan.stop);
  process.exit(1);
}
if ("install" in plan) {
  console.log(`Chromium not found; installing it: ${plan.install}`);
  const run = spawnSync("sh", ["-c", plan.install], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  const found = run.status === 0 ? findChromium(lookup) : { error: `the command exited with ${run.status ?? run.signal}.` };
  if ("error" in found) {
    console.error(
      `Installing Chromium failed: ${found.error}\nRun it yourself:\n  ${plan.install}\nor point CHROMIUM_PATH at a Chromium or Chrome executable.`,
    );
    process.exit(1);
  }
  console.log(`Chromium: ${found.path}`);
} else {
  console.log(`Chromium: ${plan.use}`);
}
