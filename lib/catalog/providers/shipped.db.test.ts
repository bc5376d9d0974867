import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadDocument } from "../../providers/load-document";
import { countOperations, extractProvider } from "../../providers/extract";
import { CATALOG_CATEGORIES } from "../../schemas/catalog-providers";
import { projectRoot } from "../../db/migrate";
import { SHIPPED_ENTRIES, SHIPPED_PACKAGES } from "./entries";
import { shippedDocumentPath } from "./load-entry";

// Every shipped entry goes through the import pipeline (parse, validate in the validator thread, read operations)
// once: its operation count and content hash are the curated constants the catalog lists without loading it.
// 10-20 s on two shared cores, GitHub's description being 2-4 s of it.

describe("the shipped central repository", () => {
  it("names the installed package versions", () => {
    for (const [pkg, version] of Object.entries(SHIPPED_PACKAGES)) {
      const meta = JSON.parse(fs.readFileSync(path.join(projectRoot(), "node_modules", pkg, "package.json"), "utf8"));
      expect(meta.version, pkg).toBe(version);
    }
  });

  it("has at least 25 entries with unique ids across the required categories", () => {
    expect(SHIPPED_ENTRIES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(SHIPPED_ENTRIES.map((e) => e.id)).size).toBe(SHIPPED_ENTRIES.length);
    const categories = new Set(SHIPPED_ENTRIES.map((e) => e.category));
    for (const c of ["source-control", "chat", "payments", "crm", "ticketing", "calendar-mail", "storage", "incident-response"] as const)
      expect(categories, c).toContain(c);
    for (const e of SHIPPED_ENTRIES) expect(CATALOG_CATEGORIES).toContain(e.category);
    for (const id of ["github", "slack", "stripe", "jira", "google.calendar"]) expect(SHIPPED_ENTRIES.map((e) => e.id)).toContain(id);
  });

  it("imports every entry's document with exactly its operation count and content hash", async () => {
    const got: Record<string, { operations: number; hash: string }> = {};
    const want: Record<string, { operations: number; hash: string }> = {};
    for (const e of SHIPPED_ENTRIES) {
      const loaded = await loadDocument(await fs.promises.readFile(shippedDocumentPath(e), "utf8"));
      const extracted = extractProvider(loaded.document);
      expect(extracted.operations.length, e.id).toBe(countOperations(loaded.document));
      got[e.id] = { operations: extracted.operations.length, hash: loaded.contentHash };
      want[e.id] = { operations: e.operationCount, hash: e.contentHash };
    }
    // One comparison, so a package upgrade shows every value to update in lib/catalog/providers/entries.ts.
    expect(got).toEqual(want);
  }, 120_000);
});
