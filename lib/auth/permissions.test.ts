import { describe, expect, it } from "vitest";
import { PERMISSIONS, roleAllows, type Permission } from "./permissions";

describe("role permissions", () => {
  const all = Object.keys(PERMISSIONS) as Permission[];

  it("lets an Admin do everything in a workspace", () => {
    for (const p of all) expect(roleAllows("ADMIN", p), p).toBe(true);
  });

  it("keeps a Builder out of the audit log and member management", () => {
    expect(roleAllows("BUILDER", "audit.read")).toBe(false);
    expect(roleAllows("BUILDER", "members.manage")).toBe(false);
    expect(roleAllows("BUILDER", "workspace.update")).toBe(false);
    expect(roleAllows("BUILDER", "workspace.delete")).toBe(false);
    expect(roleAllows("BUILDER", "integrations.manage")).toBe(true);
    expect(roleAllows("BUILDER", "members.read")).toBe(true);
  });

  it("lets a Member read the workspace and nothing that manages it", () => {
    expect(roleAllows("MEMBER", "workspace.read")).toBe(true);
    const managing = all.filter((p) => /\.(manage|update|delete)$/.test(p) || p === "audit.read" || p === "members.read");
    expect(managing.length).toBeGreaterThanOrEqual(7);
    for (const p of managing) expect(roleAllows("MEMBER", p), p).toBe(false);
    expect(roleAllows("MEMBER", "integrations.manage")).toBe(false);
  });

  it("allows nothing without a role", () => {
    for (const p of all) {
      expect(roleAllows(null, p)).toBe(false);
      expect(roleAllows(undefined, p)).toBe(false);
    }
  });

  it("never grants a lower role something a higher role lacks", () => {
    for (const p of all) {
      if (roleAllows("MEMBER", p)) expect(roleAllows("BUILDER", p), p).toBe(true);
      if (roleAllows("BUILDER", p)) expect(roleAllows("ADMIN", p), p).toBe(true);
    }
  });
});
