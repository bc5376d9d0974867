import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CHROMIUM, findChromium, installCommand, planChromium, systemLookup, type ChromiumLookup } from "./chromium";

/** A machine holding exactly these executables. */
const machine = (files: string[], env: ChromiumLookup["env"] = { PATH: "/usr/local/bin:/usr/bin:/bin" }): ChromiumLookup => ({
  env,
  isExecutable: (file) => files.includes(file),
});

describe("finding Chromium for the e2e tests", () => {
  it("takes CHROMIUM_PATH first, and only it when set", () => {
    expect(
      findChromium(machine(["/opt/chrome/chrome", DEFAULT_CHROMIUM], { CHROMIUM_PATH: "/opt/chrome/chrome", PATH: "/usr/bin" })),
    ).toEqual({ path: "/opt/chrome/chrome" });
    const wrong = findChromium(machine([DEFAULT_CHROMIUM], { CHROMIUM_PATH: "/nope/chromium", PATH: "/usr/bin" }));
    expect(wrong).toEqual({ error: "CHROMIUM_PATH=/nope/chromium is not an executable file." });
  });

  it("then Debian's /usr/bin/chromium, then chromium, chromium-browser, google-chrome on PATH in that order", () => {
    expect(findChromium(machine([DEFAULT_CHROMIUM, "/usr/local/bin/chromium"]))).toEqual({ path: DEFAULT_CHROMIUM });
    expect(findChromium(machine(["/snap/bin/chromium"], { PATH: "/usr/bin:/snap/bin" }))).toEqual({ path: "/snap/bin/chromium" });
    expect(findChromium(machine(["/usr/bin/google-chrome", "/usr/local/bin/chromium-browser"]))).toEqual({
      path: "/usr/local/bin/chromium-browser",
    });
    expect(findChromium(machine(["/usr/bin/google-chrome"]))).toEqual({ path: "/usr/bin/google-chrome" });
    expect(findChromium(machine(["/usr/bin/google-chrome-stable"]))).toEqual({ path: "/usr/bin/google-chrome-stable" });
    // An empty CHROMIUM_PATH is as good as unset; an empty PATH entry is skipped.
    expect(findChromium(machine(["/usr/bin/google-chrome"], { CHROMIUM_PATH: " ", PATH: "::/usr/bin" }))).toEqual({
      path: "/usr/bin/google-chrome",
    });
    expect(findChromium(machine([], {}))).toMatchObject({ error: expect.stringContaining("No Chromium found") });
  });

  it("uses what it finds, installs Debian's package as root, and otherwise stops with the command to run", () => {
    const apt = "/usr/bin/apt-get";
    expect(planChromium(machine([apt, DEFAULT_CHROMIUM]), { root: false })).toEqual({ use: DEFAULT_CHROMIUM });
    expect(planChromium(machine([apt]), { root: true })).toEqual({ install: "apt-get update && apt-get install -y chromium" });

    const user = planChromium(machine([apt]), { root: false });
    expect(user).toMatchObject({ stop: expect.stringContaining(`  ${installCommand("sudo ")}\n`) });
    expect(installCommand("sudo ")).toBe("sudo apt-get update && sudo apt-get install -y chromium");
    expect(user).toMatchObject({ stop: expect.stringContaining("CHROMIUM_PATH=/path/to/chromium npm test") });

    // No apt-get (not Debian): no package command to offer, only CHROMIUM_PATH.
    const other = planChromium(machine([]), { root: true });
    expect(other).toMatchObject({ stop: expect.stringContaining("Install Chromium or Google Chrome, or point CHROMIUM_PATH") });
    expect(other).not.toMatchObject({ stop: expect.stringContaining("apt-get") });

    // A wrong CHROMIUM_PATH is reported, not papered over by an install.
    const wrong = planChromium(machine([apt], { CHROMIUM_PATH: "/nope", PATH: "/usr/bin" }), { root: true });
    expect(wrong).toMatchObject({ stop: expect.stringMatching(/^CHROMIUM_PATH=\/nope is not an executable file\./) });
  });

  it("counts only executable regular files on the real machine", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-"));
    try {
      const exe = path.join(dir, "chromium");
      const plain = path.join(dir, "chromium-browser");
      fs.writeFileSync(exe, "#!/bin/sh\n", { mode: 0o755 });
      fs.writeFileSync(plain, "", { mode: 0o644 });
      fs.mkdirSync(path.join(dir, "google-chrome"), { mode: 0o755 });
      const { isExecutable } = systemLookup({ PATH: dir });
      expect([exe, plain, path.join(dir, "google-chrome"), path.join(dir, "absent")].map(isExecutable)).toEqual([
        true,
        false,
        false,
        false,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
