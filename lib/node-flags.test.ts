import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_COMMAND } from "./node-flags";

describe("server node flags", () => {
  it("npm start runs the server with them (the benchmark and the e2e suite take them from node-flags.ts)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(pkg.scripts.start).toBe(SERVER_COMMAND);
    expect(SERVER_COMMAND).toBe("MALLOC_ARENA_MAX=1 node --max-old-space-size=1024 --max-semi-space-size=8 --liftoff-only dist/server.js");
  });
});
