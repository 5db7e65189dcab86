import { describe, expect, it } from "vitest";
import { clientAddress, normaliseAddress } from "@/lib/auth/client-address";

const headers = (init: Record<string, string>) => new Headers(init);

describe("clientAddress", () => {
  it("ignores X-Forwarded-For without a trusted proxy (a client can write it)", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "203.0.113.9" }), { trustProxy: false })).toBeUndefined();
  });

  it("behind a proxy takes the address the proxy appended, not what the client claimed", () => {
    const given = headers({ "x-forwarded-for": "198.51.100.1, 203.0.113.9" });
    expect(clientAddress(given, { trustProxy: true })).toBe("203.0.113.9");
    expect(clientAddress(headers({ "x-real-ip": "203.0.113.7" }), { trustProxy: true })).toBe("203.0.113.7");
    expect(clientAddress(headers({ "x-forwarded-for": "garbage" }), { trustProxy: true })).toBeUndefined();
  });

  it("counts IPv6 per /64 and unwraps IPv4-mapped addresses", () => {
    expect(normaliseAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("::1")).toBe("0:0:0:0::/64");
    expect(normaliseAddress("::ffff:192.0.2.5")).toBe("192.0.2.5");
    expect(normaliseAddress("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
  });
});
