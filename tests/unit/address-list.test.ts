import { describe, expect, it } from "vitest";
import { splitAddressList } from "@/lib/courses/address-list";

describe("splitAddressList", () => {
  it("splits on commas, semicolons, whitespace and newlines", () => {
    expect(splitAddressList("a@x.org, b@x.org;c@x.org\nd@x.org\te@x.org  f@x.org\r\n")).toEqual(["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org", "f@x.org"]);
  });

  it("takes the address of Name <addr> and quoted names with commas", () => {
    expect(splitAddressList('Jane Doe <jane@x.org>, "Roe, Richard" <rich@x.org>; <solo@x.org>')).toEqual(["jane@x.org", "rich@x.org", "solo@x.org"]);
  });

  it("drops names beside addresses (a spreadsheet's columns), keeps entries without any address for the server to report", () => {
    expect(splitAddressList("Jane Doe\tjane@x.org\nRichard Roe\trich@x.org\njust-a-name")).toEqual(["jane@x.org", "rich@x.org", "just-a-name"]);
  });

  it("keeps each address once, whatever its case", () => {
    expect(splitAddressList("A@x.org a@X.org b@x.org")).toEqual(["A@x.org", "b@x.org"]);
    expect(splitAddressList(" \n ,; ")).toEqual([]);
  });
});
