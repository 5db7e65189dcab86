import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "@/lib/watch/csv";

describe("CSV", () => {
  it("quotes fields with commas, quotes and line breaks (RFC 4180) and ends every record with CRLF", () => {
    expect(toCsv([["Name", "Email"], ['Ada "the first", Lovelace', "ada@example.com"], ["Line\nbreak", null]])).toBe(
      'Name,Email\r\n"Ada ""the first"", Lovelace",ada@example.com\r\n"Line\nbreak",\r\n',
    );
  });

  it("neutralises cells a spreadsheet would run as formulas, but not numbers", () => {
    expect(csvField("=HYPERLINK(\"http://evil\")")).toBe("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField(-2)).toBe("-2");
    expect(csvField(12.5)).toBe("12.5");
    expect(csvField(true)).toBe("yes");
  });
});
