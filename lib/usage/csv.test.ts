import { describe, expect, it } from "vitest";
import { csvCell, usageCsv } from "./csv";

describe("usage CSV", () => {
  it("quotes per RFC 4180 and defuses cells a spreadsheet would run as formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell(42)).toBe("42");
  });

  it("writes a header and one CRLF-terminated line per row, costs as exact decimals", () => {
    const csv = usageCsv([
      {
        group: "u1",
        label: "=1+1",
        requests: 3,
        errors: 1,
        inputTokens: 3_000_000_000,
        outputTokens: 2,
        cachedTokens: 1,
        costUsd: "0.00000003",
      },
      { group: "", label: "(none)", requests: 1, errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: "12.50000000" },
    ]);
    expect(csv).toBe(
      "group,label,requests,errors,inputTokens,outputTokens,cachedTokens,costUsd\r\n" +
        "u1,'=1+1,3,1,3000000000,2,1,0.00000003\r\n" +
        ",(none),1,0,0,0,0,12.50000000\r\n",
    );
  });
});
